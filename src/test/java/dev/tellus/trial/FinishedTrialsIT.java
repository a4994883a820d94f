package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.StudyRepository;
import dev.tellus.strategy.Observation;
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
    StudyRepository studies;

    @Autowired
    StudyDefinitions definitions;

    private List<String> summary(List<Observation> observations) {
        return observations.stream()
                .map(o -> o.number() + ":" + o.status() + ":" + Arrays.toString(o.values())).toList();
    }

    @Test
    void theCacheFollowsCompletionsLeaseExpiryLateTellsAndWithdrawnRetries() {
        Http http = http();
        String name = unique("cache");
        String study = "/api/v1/studies/" + name;
        http.put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"},
                 "leaseSeconds": 1, "maxRetries": 1}""");
        var entity = studies.findByName(name).orElseThrow();
        var space = definitions.of(entity).space();
        var cache = new FinishedTrials();
        java.util.function.Supplier<DatabaseHistory> history =
                () -> new DatabaseHistory(jdbc, json, space, entity.id(), 1, cache);
        java.util.function.Supplier<List<String>> fresh =
                () -> summary(new DatabaseHistory(jdbc, json, space, entity.id(), 1, new FinishedTrials()).finished());

        http.post(study + "/trials/ask", "{\"count\": 3}");
        assertThat(summary(history.get().finished())).isEmpty();
        http.post(study + "/trials/1/tell", "{\"value\": 0.1}");
        assertThat(summary(history.get().finished())).containsExactly("1:COMPLETED:[0.1]").isEqualTo(fresh.get());
        http.post(study + "/trials/0/heartbeat", null);
        http.post(study + "/trials/0/tell", "{\"state\": \"PRUNED\"}");
        assertThat(summary(history.get().finished())).hasSize(2).isEqualTo(fresh.get());

        // Trial 2's lease runs out: FAILED, and its retry (3) is enqueued.
        eventually(Duration.ofSeconds(10), () -> http.get(study).body().at("/counts/WAITING").asInt() == 1);
        assertThat(summary(history.get().finished())).contains("2:FAILED:null").isEqualTo(fresh.get());

        // Its late result arrives: 2 becomes COMPLETED, the retry 3 is withdrawn.
        http.post(study + "/trials/2/tell", "{\"value\": 0.7}");
        assertThat(summary(history.get().finished()))
                .containsExactly("0:PRUNED:null", "1:COMPLETED:[0.1]", "2:COMPLETED:[0.7]", "3:FAILED:null")
                .isEqualTo(fresh.get());

        http.post(study + "/trials/ask", "{\"count\": 2}");
        http.post(study + "/trials/5/tell", "{\"value\": 0.5}");
        assertThat(summary(history.get().finished())).hasSize(5).isEqualTo(fresh.get());
    }

    @Test
    void aTrialFailedByLeaseExpiryDoesNotHoldTheRefreshWindowBackButItsLateResultIsSeen() {
        Http http = http();
        String name = unique("cache-dead");
        String study = "/api/v1/studies/" + name;
        http.put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"},
                 "leaseSeconds": 1, "maxRetries": 0}""");
        var entity = studies.findByName(name).orElseThrow();
        var space = definitions.of(entity).space();
        var cache = new FinishedTrials();
        java.util.function.Supplier<List<String>> cached =
                () -> summary(new DatabaseHistory(jdbc, json, space, entity.id(), 1, cache).finished());
        java.util.function.Supplier<List<String>> fresh =
                () -> summary(new DatabaseHistory(jdbc, json, space, entity.id(), 1, new FinishedTrials()).finished());

        http.post(study + "/trials/ask", null);
        // The worker dies: trial 0 is failed by the reaper and never retried.
        eventually(Duration.ofSeconds(10), () -> http.get(study).body().at("/counts/FAILED").asInt() == 1);
        http.post(study + "/trials/ask", "{\"count\": 2}");
        http.post(study + "/trials/1/tell", "{\"value\": 0.1}");
        http.post(study + "/trials/2/tell", "{\"value\": 0.2}");
        assertThat(cached.get()).containsExactly("0:FAILED:null", "1:COMPLETED:[0.1]", "2:COMPLETED:[0.2]");
        assertThat(cache.lowWater(entity.id())).isEqualTo(3);

        // Much later, the lost worker's result arrives after all.
        http.post(study + "/trials/0/tell", "{\"value\": 0.05}");
        assertThat(cached.get()).containsExactly("0:COMPLETED:[0.05]", "1:COMPLETED:[0.1]", "2:COMPLETED:[0.2]")
                .isEqualTo(fresh.get());
        assertThat(cache.lowWater(entity.id())).isEqualTo(3);
    }
}
