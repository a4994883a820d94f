package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.Studies;
import dev.tellus.history.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-replica cache of finished trials always equals a fresh read, whatever order trials change in. */
class FinishedTrialsIT extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Studies studies;

    @Autowired
    StudyDefinitions definitions;

    /** A study with one-second leases, a cache under test, and a fresh read to compare it with. */
    private final class Fixture {
        final String study;
        final long id;
        final FinishedTrials cache = new FinishedTrials();
        private final dev.tellus.space.SearchSpace space;

        Fixture(int maxRetries) {
            String name = unique("cache");
            study = "/api/v1/studies/" + name;
            http().put(study, """
                    {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"},
                     "leaseSeconds": 1, "maxRetries": %d}""".formatted(maxRetries));
            var entity = studies.find(defaultProjectId(), name);
            id = entity.id();
            space = definitions.of(entity).space();
        }

        List<String> cached() {
            return summary(new DatabaseHistory(jdbc, json, space, id, 1, cache).finished());
        }

        List<String> fresh() {
            return summary(new DatabaseHistory(jdbc, json, space, id, 1, new FinishedTrials()).finished());
        }
    }

    private List<String> summary(List<Observation> observations) {
        return observations.stream()
                .map(o -> o.number() + ":" + o.status() + ":" + Arrays.toString(o.values())).toList();
    }

    @Test
    void theCacheFollowsCompletionsLeaseExpiryLateTellsAndWithdrawnRetries() {
        Http http = http();
        var f = new Fixture(1);
        String study = f.study;

        http.post(study + "/trials/ask", "{\"count\": 3}");
        assertThat(f.cached()).isEmpty();
        http.post(study + "/trials/1/tell", "{\"value\": 0.1}");
        assertThat(f.cached()).containsExactly("1:COMPLETED:[0.1]").isEqualTo(f.fresh());
        http.post(study + "/trials/0/heartbeat", null);
        http.post(study + "/trials/0/tell", "{\"state\": \"PRUNED\"}");
        assertThat(f.cached()).hasSize(2).isEqualTo(f.fresh());

        // Trial 2's lease runs out: FAILED, and its retry (3) is enqueued.
        eventually(Duration.ofSeconds(10), () -> http.get(study).body().at("/counts/WAITING").asInt() == 1);
        assertThat(f.cached()).contains("2:FAILED:null").isEqualTo(f.fresh());

        // Its late result arrives: 2 becomes COMPLETED, the retry 3 is withdrawn.
        http.post(study + "/trials/2/tell", "{\"value\": 0.7}");
        assertThat(f.cached())
                .containsExactly("0:PRUNED:null", "1:COMPLETED:[0.1]", "2:COMPLETED:[0.7]", "3:FAILED:null")
                .isEqualTo(f.fresh());

        http.post(study + "/trials/ask", "{\"count\": 2}");
        http.post(study + "/trials/5/tell", "{\"value\": 0.5}");
        assertThat(f.cached()).hasSize(5).isEqualTo(f.fresh());
    }

    @Test
    void aTrialFailedByLeaseExpiryDoesNotHoldTheRefreshWindowBackButItsLateResultIsSeen() {
        Http http = http();
        var f = new Fixture(0);
        String study = f.study;

        http.post(study + "/trials/ask", null);
        // The worker dies: trial 0 is failed by the reaper and never retried.
        eventually(Duration.ofSeconds(10), () -> http.get(study).body().at("/counts/FAILED").asInt() == 1);
        http.post(study + "/trials/ask", "{\"count\": 2}");
        http.post(study + "/trials/1/tell", "{\"value\": 0.1}");
        http.post(study + "/trials/2/tell", "{\"value\": 0.2}");
        assertThat(f.cached()).containsExactly("0:FAILED:null", "1:COMPLETED:[0.1]", "2:COMPLETED:[0.2]");
        assertThat(f.cache.lowWater(f.id)).isEqualTo(3);

        // Much later, the lost worker's result arrives after all.
        http.post(study + "/trials/0/tell", "{\"value\": 0.05}");
        assertThat(f.cached()).containsExactly("0:COMPLETED:[0.05]", "1:COMPLETED:[0.1]", "2:COMPLETED:[0.2]")
                .isEqualTo(f.fresh());
        assertThat(f.cache.lowWater(f.id)).isEqualTo(3);
    }

    /**
     * The refresh also reads every open trial, and {@link DatabaseHistory#pending} answers those without a statement
     * of its own (the optimistic tpe ask models them as running): the same as a query of the open trials, on a
     * first read and on later refreshes from the low-water mark, with enqueued (WAITING) trials and running ones
     * on both sides of finished ones.
     */
    @Test
    void theOpenTrialsReadByTheRefreshAreTheRunningAndWaitingOnes() {
        Http http = http();
        String name = unique("cache-open");
        String study = "/api/v1/studies/" + name;
        http.put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"}}""");
        var entity = studies.find(defaultProjectId(), name);
        var space = definitions.of(entity).space();
        var cache = new FinishedTrials();

        http.post(study + "/trials/ask", "{\"count\": 3}");
        http.post(study + "/trials/1/tell", "{\"value\": 0.1}");
        assertThat(pendingAfterRefresh(cache, space, entity.id())).containsExactly("0:RUNNING:null", "2:RUNNING:null");

        http.post(study + "/trials", "{\"params\": {\"x\": 0.25}}"); // 3, WAITING
        http.post(study + "/trials/2/tell", "{\"value\": 0.2}");
        http.post(study + "/trials/ask", "{\"count\": 2}"); // 3 handed out, then 4
        http.post(study + "/trials", "{\"params\": {\"x\": 0.5}}"); // 5, WAITING
        List<String> open = pendingAfterRefresh(cache, space, entity.id());
        assertThat(open).containsExactly("0:RUNNING:null", "3:RUNNING:null", "4:RUNNING:null", "5:WAITING:null");
        assertThat(open).isEqualTo(summary(new DatabaseHistory(jdbc, json, space, entity.id(), 1, new FinishedTrials())
                .pending()));

        http.post(study + "/trials/0/tell", "{\"value\": 0.3}");
        assertThat(pendingAfterRefresh(cache, space, entity.id()))
                .containsExactly("3:RUNNING:null", "4:RUNNING:null", "5:WAITING:null");
    }

    private List<String> pendingAfterRefresh(FinishedTrials cache, dev.tellus.space.SearchSpace space, long id) {
        var history = new DatabaseHistory(jdbc, json, space, id, 1, cache);
        history.finished();
        return summary(history.pending());
    }
}
