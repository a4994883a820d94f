package dev.tellus;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The served OpenAPI document, read by tests: its operations, and whether a real answer fits what it declares. */
public final class OpenApiConformance {

    private final JsonNode doc;

    public OpenApiConformance(JsonNode doc) {
        this.doc = doc;
    }

    /** Fetches {@code /v3/api-docs} from the server. */
    public static OpenApiConformance of(Http http) {
        Http.Response r = http.get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return new OpenApiConformance(r.body());
    }

    public JsonNode document() {
        return doc;
    }

    /** "METHOD path" → operation. */
    public Map<String, JsonNode> operations() {
        Map<String, JsonNode> result = new java.util.LinkedHashMap<>();
        doc.at("/paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            if (Set.of("get", "put", "post", "patch", "delete").contains(m.getKey())) {
                result.put(m.getKey().toUpperCase() + " " + p.getKey(), m.getValue());
            }
        }));
        return result;
    }

    public JsonNode operation(String id) {
        return operations().values().stream().filter(o -> o.at("/operationId").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + id));
    }

    public List<String> statuses(String id) {
        return new ArrayList<>(operation(id).at("/responses").propertyNames());
    }

    public List<String> parameterNames(String id) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : operation(id).at("/parameters")) {
            names.add(resolve(p).at("/name").asString());
        }
        return names;
    }

    public JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = doc.at(node.get("$ref").asString().substring(1));
        }
        return node;
    }

    /** The answer's status is declared for the operation, and its JSON body fits the declared schema. */
    public void check(String operationId, Http.Response r, int expected) {
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
}
