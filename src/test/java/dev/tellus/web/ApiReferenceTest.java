package dev.tellus.web;

import dev.tellus.ApiExamples;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api.md and the OpenAPI document say the same: the same operations, and every field of the main shapes. */
class ApiReferenceTest {

    static final Path REFERENCE = Path.of("docs", "api.md");
    static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
    /** The shapes a client reads and writes; each of their fields must be described in the reference. */
    static final List<String> DESCRIBED = List.of("StudyDefinition", "Study", "Trial", "AskRequest", "AskResponse",
            "TellRequest", "ReportRequest", "ReportResponse", "Lease", "EnqueueRequest", "TrialList", "StudyList",
            "BestTrials", "Problem", "FieldError", "FloatParameter", "IntParameter", "CategoricalParameter");

    @Test
    void theEndpointTableIsTheDocumentsOperations() throws IOException {
        Map<String, Object> doc = document();
        List<String> expected = new ArrayList<>();
        paths(doc).forEach((path, item) -> item.forEach((method, op) -> {
            if (METHODS.contains(method)) {
                Map<String, Object> operation = map(op);
                expected.add("| `%s` | `%s %s` | %s |".formatted(operation.get("operationId"), method.toUpperCase(), path,
                        operation.get("summary")));
            }
        }));
        String reference = Files.readString(REFERENCE);
        int start = reference.indexOf("## Endpoints");
        List<String> rows = reference.substring(start, reference.indexOf("\n## ", start + 1)).lines()
                .filter(l -> l.startsWith("| `")).toList();
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyRequestTheReferenceNamesIsInTheDocument() throws IOException {
        Set<String> documented = new TreeSet<>();
        paths(document()).forEach((path, item) -> item.keySet().stream().filter(METHODS::contains)
                .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
        Matcher m = Pattern.compile("`(GET|PUT|POST|PATCH|DELETE) (/api/v1/[^`?\\s]*)").matcher(Files.readString(REFERENCE));
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!documented.contains(m.group(1) + " " + m.group(2))) {
                unknown.add(m.group(1) + " " + m.group(2));
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void everyFieldOfTheMainShapesIsDescribed() throws IOException {
        Map<String, Object> schemas = map(map(document().get("components")).get("schemas"));
        String reference = Files.readString(REFERENCE);
        List<String> missing = new ArrayList<>();
        for (String name : DESCRIBED) {
            Map<String, Object> schema = map(schemas.get(name));
            assertThat(schema).as(name).isNotNull();
            for (String field : map(schema.get("properties")).keySet()) {
                if (!reference.contains("`" + field + "`") && !reference.contains("\"" + field + "\"")) {
                    missing.add(name + "." + field);
                }
            }
        }
        assertThat(missing).as("fields of the OpenAPI document that docs/api.md does not mention").isEmpty();
    }

    @Test
    void theCreateExampleIsTheOneTheIntegrationTestsReplay() throws IOException {
        String reference = Files.readString(REFERENCE);
        int section = reference.indexOf("### Create or join");
        int start = reference.indexOf("```json\n", section) + "```json\n".length();
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(reference.substring(start, reference.indexOf("```", start))))
                .isEqualTo(json.readTree(ApiExamples.CREATE));
    }

    static Map<String, Object> document() throws IOException {
        try (InputStream in = ApiReferenceTest.class.getClassLoader().getResourceAsStream(ApiDocument.LOCATION)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }

    private static Map<String, Map<String, Object>> paths(Map<String, Object> doc) {
        Map<String, Map<String, Object>> result = new java.util.LinkedHashMap<>();
        map(doc.get("paths")).forEach((path, item) -> result.put(path, map(item)));
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
