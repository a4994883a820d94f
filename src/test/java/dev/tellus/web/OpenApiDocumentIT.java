package dev.tellus.web;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import dev.tellus.OpenApiConformance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written OpenAPI document against the code: the essentials a generated client relies on, every
 * mapped endpoint documented (and nothing else), real answers with declared status codes and documented
 * fields, and {@code @redocly/cli lint} with no errors where npx is installed.
 */
class OpenApiDocumentIT extends IntegrationTest {

    /** Pinned so CI results do not move under us; bump deliberately. */
    static final String REDOCLY = "@redocly/cli@2.77.0";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    OpenApiConformance api;
    JsonNode doc;

    @BeforeEach
    void fetch() {
        api = OpenApiConformance.of(http());
        doc = api.document();
    }

    @Test
    void operationIdsStatusCodesAndSchemasArePinned() {
        assertThat(doc.at("/info/title").asString()).isEqualTo("Tellus API");
        assertThat(doc.at("/info/description").asString()).isNotBlank();
        assertThat(api.operations().values().stream().map(o -> o.at("/operationId").asString()).toList())
                .containsExactlyInAnyOrder("listStudies", "createStudy", "getStudy", "updateStudy", "deleteStudy",
                        "askTrials", "tellTrial", "reportTrial", "heartbeatTrial", "enqueueTrial", "listTrials",
                        "exportIntermediateValues", "getTrial", "getBestTrials", "createProject", "listProjects",
                        "getProject", "updateProject", "deleteProject", "createApiKey", "listApiKeys", "revokeApiKey",
                        "listAuditEvents", "getParameterImportance", "getHistorySummary", "getPointsSummary",
                        "getIntermediateSummary", "getTrialTable", "listStudySummaries", "getStudyOverview");
        assertThat(api.statuses("createStudy")).containsExactly("201", "200", "400", "401", "403", "409", "413", "415", "429", "503");
        assertThat(api.statuses("deleteStudy")).startsWith("204");
        assertThat(api.statuses("enqueueTrial")).startsWith("201");
        assertThat(api.statuses("askTrials")).contains("200", "404", "422");
        assertThat(api.statuses("tellTrial")).contains("200", "400", "404", "409", "422");
        assertThat(api.statuses("heartbeatTrial")).contains("200", "409");
        assertThat(api.statuses("createProject")).startsWith("201");
        assertThat(api.statuses("createApiKey")).startsWith("201");
        assertThat(api.statuses("revokeApiKey")).startsWith("204");
        assertThat(api.operation("createStudy").at("/responses/201/headers/Location").isMissingNode()).isFalse();
        assertThat(api.operation("createStudy").at("/requestBody/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/StudyDefinition");
        assertThat(api.operation("createStudy").at("/responses/201/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/Study");
        assertThat(api.operation("listTrials").at("/responses/200/content").propertyNames())
                .containsExactlyInAnyOrder("application/json", "text/csv");
        assertThat(api.operation("exportIntermediateValues").at("/responses/200/content").propertyNames()).containsExactly("text/csv");
        assertThat(api.parameterNames("askTrials")).contains("Idempotency-Key");
        assertThat(api.parameterNames("tellTrial")).contains("Idempotency-Key");

        assertThat(doc.at("/components/schemas").propertyNames()).contains("Project", "Quota", "ApiKey", "CreatedApiKey",
                "AuditPage", "Study", "StudyDefinition", "StudyList",
                "StudyPatch", "Trial", "TrialList", "AskRequest", "AskResponse", "TellRequest", "ReportRequest",
                "ReportResponse", "Lease", "EnqueueRequest", "BestTrials", "Problem", "FieldError", "Parameter",
                "FloatParameter", "IntParameter", "CategoricalParameter", "Objective", "StrategySpec", "PrunerSpec");
        // Space parameters: a union discriminated by type.
        JsonNode parameter = doc.at("/components/schemas/Parameter");
        assertThat(parameter.at("/discriminator/propertyName").asString()).isEqualTo("type");
        assertThat(parameter.at("/discriminator/mapping").propertyNames()).containsExactlyInAnyOrder("float", "int", "categorical");
        assertThat(doc.at("/components/schemas/StudyDefinition/properties/space/additionalProperties/$ref").asString())
                .isEqualTo("#/components/schemas/Parameter");
        assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asString()).isEqualTo("bearer");
    }

    @Test
    void everyErrorIsProblemJson() {
        List<String> missing = new ArrayList<>();
        api.operations().forEach((key, op) -> op.at("/responses").properties().forEach(e -> {
            if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                JsonNode response = api.resolve(e.getValue());
                if (!"#/components/schemas/Problem".equals(
                        response.at("/content/application~1problem+json/schema/$ref").asString())) {
                    missing.add(key + " " + e.getKey());
                }
            }
        }));
        assertThat(missing).isEmpty();
    }

    @Test
    void everyMappedEndpointIsDocumentedAndNothingElse() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String path : info.getPatternValues()) {
                if (path.startsWith("/api/")) {
                    info.getMethodsCondition().getMethods().forEach(m -> mapped.add(m.name() + " " + path));
                }
            }
        }
        assertThat(new TreeSet<>(api.operations().keySet())).isEqualTo(mapped);
    }

    @Test
    void realAnswersHaveDeclaredStatusesAndDocumentedFields() {
        var h = http();
        String name = unique("openapi");
        String s = "/api/v1/studies/" + name;
        String definition = """
                {"space": {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true},
                           "layers": {"type": "int", "low": 1, "high": 8},
                           "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
                           "momentum": {"type": "float", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}}},
                 "strategy": {"name": "random", "seed": 1}, "pruner": {"name": "median"}, "maxTrials": 5}""";
        api.check("createStudy", h.put(s, definition), 201);
        api.check("createStudy", h.put(s, definition), 200);
        api.check("createStudy", h.put(s, definition.replace("0.99", "0.98")), 409);
        api.check("createStudy", h.put(s + "-bad", "{\"space\": {}}"), 400);
        api.check("getStudy", h.get(s), 200);
        api.check("listStudies", h.get("/api/v1/studies?limit=2"), 200);
        api.check("askTrials", h.send("POST", s + "/trials/ask", "{\"worker\": \"w\"}", Map.of("Idempotency-Key", "k1")), 200);
        api.check("askTrials", h.send("POST", s + "/trials/ask", "{\"worker\": \"other\"}", Map.of("Idempotency-Key", "k1")), 422);
        api.check("reportTrial", h.post(s + "/trials/0/report", "{\"step\": 1, \"value\": 0.5}"), 200);
        api.check("heartbeatTrial", h.post(s + "/trials/0/heartbeat", null), 200);
        api.check("tellTrial", h.post(s + "/trials/0/tell", "{\"value\": 0.5}"), 200);
        api.check("tellTrial", h.post(s + "/trials/0/tell", "{\"value\": 0.6}"), 409);
        api.check("heartbeatTrial", h.post(s + "/trials/0/heartbeat", null), 409);
        api.check("enqueueTrial", h.post(s + "/trials", "{\"params\": {\"lr\": 0.01, \"layers\": 2, \"optimizer\": \"adam\"}}"), 201);
        api.check("askTrials", h.post(s + "/trials/ask", null), 200);
        api.check("getTrial", h.get(s + "/trials/0"), 200);
        api.check("getTrial", h.get(s + "/trials/99"), 404);
        api.check("listTrials", h.get(s + "/trials?state=COMPLETED"), 200);
        api.check("listTrials", h.get(s + "/trials", Map.of("Accept", "text/csv")), 200);
        api.check("exportIntermediateValues", h.get(s + "/trials/intermediate", Map.of("Accept", "text/csv")), 200);
        api.check("getBestTrials", h.get(s + "/best"), 200);
        api.check("updateStudy", h.patch(s, "{\"state\": \"PAUSED\"}"), 200);
        api.check("askTrials", h.post(s + "/trials/ask", null), 200);
        api.check("updateStudy", h.send("PATCH", s, "state=PAUSED", Map.of("Content-Type", "text/plain")), 415);
        api.check("deleteStudy", h.delete(s), 204);
        api.check("getStudy", h.get(s), 404);
        // With auth off every request is the admin of project default, not the operator.
        api.check("listProjects", h.get("/api/v1/projects"), 403);
        api.check("createProject", h.post("/api/v1/projects", "{\"name\": \"x\"}"), 403);
    }

    @Test
    void redoclyLintReportsNoErrors() throws Exception {
        boolean npx = hasCommand("npx");
        if (!npx) {
            System.out.println("OpenApiDocumentIT.redoclyLintReportsNoErrors skipped: npx not found (install Node.js and npm)");
        }
        Assumptions.assumeTrue(npx, "npx not found (install Node.js and npm)");
        Path file = Path.of("target", "openapi.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, http().get("/v3/api-docs").text());
        Process lint = new ProcessBuilder("npx", "--yes", REDOCLY, "lint", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println("[redocly] " + output.strip().lines().reduce((a, b) -> b).orElse(""));
        assertThat(lint.exitValue()).as(output).isZero();
        assertThat(output).contains("Your API description is valid");
    }

    // -- helpers ---------------------------------------------------------------------------------------

    private static boolean hasCommand(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
