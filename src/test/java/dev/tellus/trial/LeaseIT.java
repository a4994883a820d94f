package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers that vanish: leases expire, params are handed out again, late results are kept. */
class LeaseIT extends IntegrationTest {

    private String study(int leaseSeconds, int maxRetries) {
        String study = "/api/v1/studies/" + unique("lease");
        assertThat(http().put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}, "k": {"type": "int", "low": 1, "high": 9}},
                 "strategy": {"name": "random", "seed": 3}, "leaseSeconds": %d, "maxRetries": %d}"""
                .formatted(leaseSeconds, maxRetries)).status()).isEqualTo(201);
        return study;
    }

    private JsonNode askOne(String study) {
        JsonNode trials = http().post(study + "/trials/ask", "{\"worker\": \"w\"}").body().get("trials");
        assertThat(trials.size()).isEqualTo(1);
        return trials.get(0);
    }

    private String stateOf(String study, long number) {
        return http().get(study + "/trials/" + number).body().get("state").asString();
    }

    @Test
    void aVanishedWorkersTrialFailsItsParamsGoOutAgainAndItsLateResultIsKept() {
        Http http = http();
        String study = study(1, 1);
        JsonNode original = askOne(study);
        eventually(Duration.ofSeconds(10), () -> stateOf(study, 0).equals("FAILED"));
        JsonNode failed = http.get(study + "/trials/0").body();
        assertThat(failed.get("reason").asString()).isEqualTo("lease expired");
        assertThat(failed.get("leaseExpiresAt").isNull()).isTrue();

        // The retry is enqueued with the same params and handed out before anything new.
        JsonNode retry = askOne(study);
        assertThat(retry.get("number").asLong()).isEqualTo(1);
        assertThat(retry.get("params")).isEqualTo(original.get("params"));
        assertThat(retry.get("retryOf").asLong()).isZero();

        // The first worker comes back late: its result is kept.
        Http.Response late = http.post(study + "/trials/0/tell", "{\"value\": 0.25}");
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body().get("state").asString()).isEqualTo("COMPLETED");
        assertThat(late.body().get("reason").isNull()).isTrue();
        assertThat(http.get(study + "/best").body().at("/trials/0/number").asLong()).isZero();
    }

    @Test
    void aLateResultWithdrawsARetryThatHasNotStarted() {
        Http http = http();
        String study = study(1, 1);
        askOne(study);
        eventually(Duration.ofSeconds(10), () -> http.get(study).body().at("/counts/WAITING").asInt() == 1);
        assertThat(http.post(study + "/trials/0/tell", "{\"value\": 0.5}").status()).isEqualTo(200);
        JsonNode withdrawn = http.get(study + "/trials/1").body();
        assertThat(withdrawn.get("state").asString()).isEqualTo("FAILED");
        assertThat(withdrawn.get("reason").asString()).contains("late result of trial 0");
        // The next ask proposes something new rather than running the same params twice.
        JsonNode next = askOne(study);
        assertThat(next.get("number").asLong()).isEqualTo(2);
        assertThat(next.get("retryOf").isNull()).isTrue();
    }

    @Test
    void retriesStopAtMaxRetriesAndWithoutRetriesNothingIsEnqueued() {
        Http http = http();
        String once = study(1, 1);
        askOne(once);
        eventually(Duration.ofSeconds(10), () -> http.get(once).body().at("/counts/WAITING").asInt() == 1);
        askOne(once);
        // The retry's lease expires too: attempt 2 > maxRetries 1, so no third run.
        eventually(Duration.ofSeconds(10), () -> http.get(once).body().at("/counts/FAILED").asInt() == 2);
        JsonNode counts = http.get(once).body().get("counts");
        assertThat(counts.get("WAITING").asInt()).isZero();
        assertThat(counts.get("RUNNING").asInt()).isZero();

        String never = study(1, 0);
        askOne(never);
        eventually(Duration.ofSeconds(10), () -> stateOf(never, 0).equals("FAILED"));
        assertThat(http.get(never).body().at("/counts/WAITING").asInt()).isZero();
    }

    @Test
    void heartbeatsKeepATrialAlivePastItsLease() throws Exception {
        Http http = http();
        String study = study(1, 0);
        askOne(study);
        for (int i = 0; i < 8; i++) {
            Thread.sleep(300);
            assertThat(http.post(study + "/trials/0/heartbeat", null).status()).isEqualTo(200);
        }
        assertThat(stateOf(study, 0)).isEqualTo("RUNNING");
        Http.Response done = http.post(study + "/trials/0/tell", "{\"value\": 1}");
        assertThat(done.body().get("state").asString()).isEqualTo("COMPLETED");
    }
}
