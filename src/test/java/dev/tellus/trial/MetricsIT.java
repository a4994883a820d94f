package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Tellus's own metrics on /actuator/prometheus, with the histogram buckets a dashboard needs for p95/p99. */
class MetricsIT extends IntegrationTest {

    @Test
    void askTellReportAndReplayShowUpAsLabelledSeriesWithBuckets() {
        Http http = http();
        String study = "/api/v1/studies/" + unique("metrics");
        assertThat(http.put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "tpe"},
                 "pruner": {"name": "median"}}""").status()).isEqualTo(201);
        long number = http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong();
        assertThat(http.post(study + "/trials/" + number + "/report", "{\"step\": 1, \"value\": 0.5}").status()).isEqualTo(200);
        var key = Map.of("Idempotency-Key", "metrics-tell");
        assertThat(http.send("POST", study + "/trials/" + number + "/tell", "{\"value\": 0.25}", key).status()).isEqualTo(200);
        assertThat(http.send("POST", study + "/trials/" + number + "/tell", "{\"value\": 0.25}", key).status()).isEqualTo(200);

        String scraped = http.get("/actuator/prometheus").text();

        assertThat(count(scraped, "tellus_ask_seconds_bucket\\{[^}]*outcome=\"trials\"[^}]*strategy=\"tpe\"")).isGreaterThan(10);
        assertThat(count(scraped, "tellus_tell_seconds_bucket\\{[^}]*outcome=\"completed\"[^}]*strategy=\"tpe\"")).isGreaterThan(10);
        assertThat(scraped).containsPattern("tellus_tell_seconds_count\\{[^}]*outcome=\"replay\"[^}]*strategy=\"tpe\"[^}]*} [1-9]");
        assertThat(count(scraped, "tellus_study_lock_wait_seconds_bucket\\{[^}]*operation=\"ask\"")).isGreaterThan(10);
        assertThat(scraped).containsPattern("tellus_pruning_decisions_total\\{[^}]*pruner=\"median\"[^}]*} [1-9]");
        assertThat(scraped).containsPattern("tellus_idempotent_replays_total\\{[^}]*operation=\"tell\"[^}]*} [1-9]");
        assertThat(scraped).contains("tellus_trials_running ", "tellus_leases_expired_total ", "tellus_leases_retried_total ");
        // Bounded labels: no study name anywhere in Tellus's series.
        assertThat(scraped.lines().filter(l -> l.startsWith("tellus_")).filter(l -> l.contains("metrics-"))).isEmpty();
    }

    private static long count(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }
}
