package dev.tellus.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the OpenAPI document, {@code openapi/tellus.yaml}, written by hand for the readers of generated
 * clients (operation ids, real status codes, typed schemas, every error) and kept true to the code by
 * {@code OpenApiDocumentIT}; {@code /swagger-ui.html} shows it.
 */
@RestController
class ApiDocument {

    static final String LOCATION = "openapi/tellus.yaml";

    private final String yaml;
    private final String json;

    ApiDocument(JsonMapper mapper) {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION, e);
        }
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        json = mapper.writeValueAsString(document);
    }

    @GetMapping(value = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
    String json() {
        return json;
    }

    @GetMapping(value = "/v3/api-docs.yaml", produces = "application/yaml")
    String yaml() {
        return yaml;
    }
}
