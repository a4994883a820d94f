package dev.tellus.web;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations endpoints of API.md: health probes, Prometheus metrics, the generated OpenAPI document. */
class OperationsIT extends IntegrationTest {

    @Test
    void healthProbesAnswerUp() {
        Http http = http();
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            Http.Response r = http.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body().get("status").asString()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void prometheusExposesRequestMetrics() {
        http().get("/api/v1/studies");
        Http.Response r = http().get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("http_server_requests_seconds").contains("hikaricp_connections");
    }

    @Test
    void theOpenApiDocumentDescribesTheApiFromTheCode() {
        Http.Response r = http().get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/paths").propertyNames()).contains(
                "/api/v1/studies/{name}", "/api/v1/studies", "/api/v1/studies/{name}/trials/ask",
                "/api/v1/studies/{name}/trials/{number}/tell", "/api/v1/studies/{name}/best");
        assertThat(http().get("/swagger-ui.html").status()).isIn(200, 302);
    }
}
