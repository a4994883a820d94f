package dev.tellus.web;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies built to hurt: too large, too deep, too many parameters or choices, numbers past a double. */
class HostileInputIT extends IntegrationTest {

    private static String categorical(int choices) {
        var joiner = new StringJoiner(",", "[", "]");
        for (int i = 0; i < choices; i++) {
            joiner.add(Integer.toString(i));
        }
        return "{\"space\": {\"c\": {\"type\": \"categorical\", \"choices\": " + joiner + "}}}";
    }

    @Test
    void anOversizedBodyIs413BeforeParsingWhetherSizedOrChunked() throws Exception {
        Http http = http();
        String name = unique("big");
        String huge = categorical(1_000_000);
        assertThat(huge.length()).isGreaterThan(1 << 20);
        Http.Response sized = http.put("/api/v1/studies/" + name, huge);
        assertThat(sized.status()).isEqualTo(413);
        assertThat(sized.contentType()).startsWith("application/problem+json");

        // No Content-Length: the limit is enforced while reading.
        byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/studies/" + name))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
        } catch (java.io.IOException closedWhileSending) {
            // Tomcat may close the connection once it stops swallowing the rest of the body, before the client has
            // read the 413: the body was still refused, which the lookup below checks.
        }
        assertThat(http.get("/api/v1/studies/" + name).status()).isEqualTo(404);
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        Http.Response r = http().put("/api/v1/studies/" + unique("deep"),
                "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}, \"metadata\": " + deep + "}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().at("/errors/0/message").asString()).containsIgnoringCase("depth");
    }

    @Test
    void tooManyParametersOrChoicesAreRefusedByField() {
        var params = new StringJoiner(",", "{\"space\": {", "}}");
        for (int i = 0; i < 10_000; i++) {
            params.add("\"p" + i + "\": {\"type\": \"int\", \"low\": 0, \"high\": 1}");
        }
        Http.Response many = http().put("/api/v1/studies/" + unique("wide"), params.toString());
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.body().at("/errors/0/field").asString()).isEqualTo("space");

        Http.Response choices = http().put("/api/v1/studies/" + unique("choices"), categorical(10_001));
        assertThat(choices.status()).isEqualTo(400);
        assertThat(choices.body().at("/errors/0/field").asString()).isEqualTo("space.c.choices");
    }

    @Test
    void numbersBeyondADoubleAreRefusedInDefinitionsAndParamsButFailATell() {
        Http http = http();
        String study = "/api/v1/studies/" + unique("overflow");
        Http.Response definition = http.put(study, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1e999999}}}");
        assertThat(definition.status()).isEqualTo(400);
        assertThat(definition.body().at("/errors/0/field").asString()).isEqualTo("space.x.high");

        http.put(study, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}, \"strategy\": {\"name\": \"random\"}}");
        Http.Response params = http.post(study + "/trials", "{\"params\": {\"x\": 1e999999}}");
        assertThat(params.status()).isEqualTo(400);
        assertThat(params.body().at("/errors/0/field").asString()).isEqualTo("params.x");

        http.post(study + "/trials/ask", null);
        Http.Response tell = http.post(study + "/trials/0/tell", "{\"value\": 1e999999}");
        assertThat(tell.body().get("state").asString()).isEqualTo("FAILED");
        assertThat(tell.body().get("reason").asString()).isEqualTo("non-finite objective value");
    }

    @Test
    void duplicateKeysAndHugeNumbersAreRefused() {
        Http http = http();
        assertThat(http.put("/api/v1/studies/" + unique("dup"),
                "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"low\": 1, \"high\": 2}}}").status()).isEqualTo(400);
        assertThat(http.put("/api/v1/studies/" + unique("digits"),
                "{\"space\": {\"x\": {\"type\": \"int\", \"low\": 0, \"high\": 1" + "0".repeat(2000) + "}}}").status()).isEqualTo(400);
    }

    @Test
    void theNulCharacterIsRefusedAndChangesNothing() {
        Http http = http();
        Http.Response choice = http.put("/api/v1/studies/" + unique("nul"),
                "{\"space\": {\"c\": {\"type\": \"categorical\", \"choices\": [\"a\\u0000\", \"b\"]}}}");
        assertThat(choice.status()).isEqualTo(400);
        assertThat(choice.body().at("/errors/0/field").asString()).isEqualTo("space.c.choices[0]");

        String study = "/api/v1/studies/" + unique("nul");
        http.put(study, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}, \"strategy\": {\"name\": \"random\"}}");
        assertThat(http.post(study + "/trials/ask", "{\"worker\": \"w\\u0000\"}").status()).isEqualTo(400);
        http.post(study + "/trials/ask", null);
        Http.Response tell = http.post(study + "/trials/0/tell", "{\"value\": 1, \"attributes\": {\"note\": \"x\\u0000y\"}}");
        assertThat(tell.status()).isEqualTo(400);
        assertThat(tell.contentType()).startsWith("application/problem+json");
        assertThat(http.get(study + "/trials/0").body().get("state").asString()).isEqualTo("RUNNING");
        assertThat(http.get(study).body().at("/counts/RUNNING").asInt()).isEqualTo(1);
    }
}
