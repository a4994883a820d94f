package dev.tellus.web;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
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

    JsonNode doc;

    @BeforeEach
    void fetch() {
        Http.Response r = http().get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        doc = r.body();
    }

    @Test
    void operationIdsStatusCodesAndSchemasArePinned() {
        assertThat(doc.at("/info/title").asString()).isEqualTo("Tellus API");
        assertThat(doc.at("/info/description").asString()).isNotBlank();
        assertThat(operations().values().stream().map(o -> o.at("/operationId").asString()).toList())
                .containsExactlyInAnyOrder("listStudies", "createStudy", "getStudy", "updateStudy", "deleteStudy",
                        "askTrials", "tellTrial", "reportTrial", "heartbeatTrial", "enqueueTrial", "listTrials",
                        "exportIntermediateValues", "getTrial", "getBestTrials", "createProject", "listProjects",
                        "getProject", "updateProject", "deleteProject", "createApiKey", "listApiKeys", "revokeApiKey",
                        "listAuditEvents");
        assertThat(statuses("createStudy")).containsExactly("201", "200", "400", "401", "403", "409", "413", "415", "429", "503");
        assertThat(statuses("deleteStudy")).startsWith("204");
        assertThat(statuses("enqueueTrial")).startsWith("201");
        assertThat(statuses("askTrials")).contains("200", "404", "422");
        assertThat(statuses("tellTrial")).contains("200", "400", "404", "409", "422");
        assertThat(statuses("heartbeatTrial")).contains("200", "409");
        assertThat(statuses("createProject")).startsWith("201");
        assertThat(statuses("createApiKey")).startsWith("201");
        assertThat(statuses("revokeApiKey")).startsWith("204");
        assertThat(operation("createStudy").at("/responses/201/headers/Location").isMissingNode()).isFalse();
        assertThat(operation("createStudy").at("/requestBody/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/StudyDefinition");
        assertThat(operation("createStudy").at("/responses/201/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/Study");
        assertThat(operation("listTrials").at("/responses/200/content").propertyNames())
                .containsExactlyInAnyOrder("application/json", "text/csv");
        assertThat(operation("exportIntermediateValues").at("/responses/200/content").propertyNames()).containsExactly("text/csv");
        assertThat(parameterNames("askTrials")).contains("Idempotency-Key");
        assertThat(parameterNames("tellTrial")).contains("Idempotency-Key");

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
        operations().forEach((key, op) -> op.at("/responses").properties().forEach(e -> {
            if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                JsonNode response = resolve(e.getValue());
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
        assertThat(new TreeSet<>(operations().keySet())).isEqualTo(mapped);
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
        check("createStudy", h.put(s, definition), 201);
        check("createStudy", h.put(s, definition), 200);
        check("createStudy", h.put(s, definition.replace("0.99", "0.98")), 409);
        check("createStudy", h.put(s + "-bad", "{\"space\": {}}"), 400);
        check("getStudy", h.get(s), 200);
        check("listStudies", h.get("/api/v1/studies?limit=2"), 200);
        check("askTrials", h.send("POST", s + "/trials/ask", "{\"worker\": \"w\"}", Map.of("Idempotency-Key", "k1")), 200);
        check("askTrials", h.send("POST", s + "/trials/ask", "{\"worker\": \"other\"}", Map.of("Idempotency-Key", "k1")), 422);
        check("reportTrial", h.post(s + "/trials/0/report", "{\"step\": 1, \"value\": 0.5}"), 200);
        check("heartbeatTrial", h.post(s + "/trials/0/heartbeat", null), 200);
        check("tellTrial", h.post(s + "/trials/0/tell", "{\"value\": 0.5}"), 200);
        check("tellTrial", h.post(s + "/trials/0/tell", "{\"value\": 0.6}"), 409);
        check("heartbeatTrial", h.post(s + "/trials/0/heartbeat", null), 409);
        check("enqueueTrial", h.post(s + "/trials", "{\"params\": {\"lr\": 0.01, \"layers\": 2, \"optimizer\": \"adam\"}}"), 201);
        check("askTrials", h.post(s + "/trials/ask", null), 200);
        check("getTrial", h.get(s + "/trials/0"), 200);
        check("getTrial", h.get(s + "/trials/99"), 404);
        check("listTrials", h.get(s + "/trials?state=COMPLETED"), 200);
        check("listTrials", h.get(s + "/trials", Map.of("Accept", "text/csv")), 200);
        check("exportIntermediateValues", h.get(s + "/trials/intermediate", Map.of("Accept", "text/csv")), 200);
        check("getBestTrials", h.get(s + "/best"), 200);
        check("updateStudy", h.patch(s, "{\"state\": \"PAUSED\"}"), 200);
        check("askTrials", h.post(s + "/trials/ask", null), 200);
        check("updateStudy", h.send("PATCH", s, "state=PAUSED", Map.of("Content-Type", "text/plain")), 415);
        check("deleteStudy", h.delete(s), 204);
        check("getStudy", h.get(s), 404);
        // With auth off every request is the admin of project default, not the operator.
        check("listProjects", h.get("/api/v1/projects"), 403);
        check("createProject", h.post("/api/v1/projects", "{\"name\": \"x\"}"), 403);
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

    /** "METHOD path" → operation. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> result = new java.util.LinkedHashMap<>();
        doc.at("/paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            if (Set.of("get", "put", "post", "patch", "delete").contains(m.getKey())) {
                result.put(m.getKey().toUpperCase() + " " + p.getKey(), m.getValue());
            }
        }));
        return result;
    }

    private JsonNode operation(String id) {
        return operations().values().stream().filter(o -> o.at("/operationId").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + id));
    }

    private List<String> statuses(String id) {
        return new ArrayList<>(operation(id).at("/responses").propertyNames());
    }

    private List<String> parameterNames(String id) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : operation(id).at("/parameters")) {
            names.add(resolve(p).at("/name").asString());
        }
        return names;
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = doc.at(node.get("$ref").asString().substring(1));
        }
        return node;
    }

    /** The answer's status is declared for the operation, and its JSON body fits the declared schema. */
    private void check(String operationId, Http.Response r, int expected) {
        assertThat(r.status()).as(operationId + ": " + r.text()).isEqualTo(expected);
        JsonNode response = operation(operationId).at("/responses/" + expected);
        assertThat(response.isMissingNode()).as(operationId + " does not declare " + expected).isFalse();
        response = resolve(response);
        if (!response.has("content")) {
            assertThat(r.text()).as(operationId + " " + expected + " declares no body").isEmpty();
            return;
        }
        String type = r.contentType().split(";")[0].trim();
        JsonNode media = response.at("/content").get(type);
        assertThat(media).as(operationId + " " + expected + " does not declare " + type).isNotNull();
        if (r.body() != null) {
            List<String> problems = new ArrayList<>();
            conforms(r.body(), media.get("schema"), "$", problems);
            assertThat(problems).as(operationId + " " + expected + ": " + r.text()).isEmpty();
        }
    }

    /**
     * A small structural check (types, required and documented properties, $ref, allOf, oneOf, nullable),
     * stricter than OpenAPI in one way on purpose: a property the server sends must be documented.
     */
    private void conforms(JsonNode value, JsonNode schema, String at, List<String> problems) {
        schema = resolve(schema);
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(at + ": null but not nullable");
            }
            return;
        }
        if (schema.has("allOf")) {
            for (JsonNode part : schema.get("allOf")) {
                conforms(value, part, at, problems);
            }
            return;
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            for (JsonNode option : schema.get("oneOf")) {
                List<String> sub = new ArrayList<>();
                conforms(value, option, at, sub);
                matches += sub.isEmpty() ? 1 : 0;
            }
            if (matches != 1) {
                problems.add(at + ": matches " + matches + " of the oneOf options");
            }
            return;
        }
        String type = schema.path("type").asString("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(at + ": not an object");
                    return;
                }
                for (JsonNode req : schema.path("required")) {
                    if (!value.has(req.asString())) {
                        problems.add(at + ": missing required " + req.asString());
                    }
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.get("additionalProperties");
                value.properties().forEach(e -> {
                    if (properties.has(e.getKey())) {
                        conforms(e.getValue(), properties.get(e.getKey()), at + "." + e.getKey(), problems);
                    } else if (additional != null && additional.isObject()) {
                        conforms(e.getValue(), additional, at + "." + e.getKey(), problems);
                    } else if (additional == null || !additional.asBoolean()) {
                        problems.add(at + "." + e.getKey() + ": not documented");
                    }
                });
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(at + ": not an array");
                    return;
                }
                int i = 0;
                for (JsonNode item : value) {
                    conforms(item, schema.get("items"), at + "[" + i++ + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isString()) {
                    problems.add(at + ": not a string");
                } else if (schema.has("enum")) {
                    List<String> allowed = new ArrayList<>();
                    schema.get("enum").forEach(v -> allowed.add(v.asString()));
                    if (!allowed.contains(value.asString())) {
                        problems.add(at + ": " + value.asString() + " not in " + allowed);
                    }
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(at + ": not an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(at + ": not a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(at + ": not a boolean");
                }
            }
            default -> {
                // Untyped (Scalar, free-form): any value.
            }
        }
    }

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
