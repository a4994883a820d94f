package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency-Key: a retried request after a dropped response gets the same answer, never a second trial. */
class IdempotencyIT extends IntegrationTest {

    private String study() {
        String study = "/api/v1/studies/" + unique("idem");
        http().put(study, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}, \"strategy\": {\"name\": \"random\"}}");
        return study;
    }

    private Http.Response ask(String study, String body, String key) {
        return http().send("POST", study + "/trials/ask", body, Map.of("Idempotency-Key", key));
    }

    @Test
    void aRetriedAskGetsTheSameTrialsAndADifferentRequestWithTheKeyIs422() {
        Http http = http();
        String study = study();
        Http.Response first = ask(study, "{\"worker\": \"w1\", \"count\": 2}", "k-1");
        Http.Response again = ask(study, "{\"worker\": \"w1\", \"count\": 2}", "k-1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(http.get(study).body().at("/counts/RUNNING").asInt()).isEqualTo(2);

        Http.Response reused = ask(study, "{\"worker\": \"w1\", \"count\": 3}", "k-1");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(reused.body().get("type").asString()).endsWith("/idempotency-key-reused");

        // Another key is another ask.
        assertThat(ask(study, "{\"worker\": \"w1\", \"count\": 2}", "k-2").body().at("/trials/0/number").asLong()).isEqualTo(2);
        assertThat(http.send("POST", study + "/trials/ask", null, Map.of("Idempotency-Key", " ")).status()).isEqualTo(400);
    }

    @Test
    void concurrentAsksWithOneKeyMakeOneTrial() throws Exception {
        Http http = http();
        String study = study();
        var pool = Executors.newFixedThreadPool(8);
        try {
            var calls = new ArrayList<Callable<Http.Response>>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> ask(study, "{\"worker\": \"w\"}", "same-key"));
            }
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> f : pool.invokeAll(calls)) {
                responses.add(f.get());
            }
            assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(responses.stream().map(r -> r.body().at("/trials/0/number").asLong()).distinct()).containsExactly(0L);
        } finally {
            pool.shutdown();
        }
        assertThat(http.get(study).body().at("/counts/RUNNING").asInt()).isEqualTo(1);
    }

    @Test
    void aTellWithAKeyReplaysAndRefusesAnotherOutcome() {
        Http http = http();
        String study = study();
        http.post(study + "/trials/ask", null);
        Http.Response told = http.send("POST", study + "/trials/0/tell", "{\"value\": 0.3}", Map.of("Idempotency-Key", "t-1"));
        Http.Response again = http.send("POST", study + "/trials/0/tell", "{\"value\": 0.3}", Map.of("Idempotency-Key", "t-1"));
        assertThat(again.body()).isEqualTo(told.body());
        assertThat(http.send("POST", study + "/trials/0/tell", "{\"value\": 0.9}", Map.of("Idempotency-Key", "t-1")).status())
                .isEqualTo(422);
    }
}
