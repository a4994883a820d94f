package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import dev.tellus.pruning.Pruner;
import dev.tellus.pruning.Pruners;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sixteen workers report the same steps at the same moment. Every row lands exactly once, the best trial is
 * never stopped, and once every worker has recorded a step a retried report there gets exactly the decision
 * the pure pruner makes from all sixteen values: concurrent reports leave nothing inconsistent behind.
 */
class PruningConcurrencyIT extends IntegrationTest {

    static final int WORKERS = 16;
    static final int STEPS = 12;
    static final long SEED = 3;

    @Autowired
    JdbcClient jdbc;

    static double value(int worker, long step) {
        return (worker + 1) * (1 + 5.0 / step);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": \"median\", \"options\": {\"startupTrials\": 4, \"warmupSteps\": 0}}",
            "{\"name\": \"hyperband\", \"options\": {\"minResource\": 1, \"reductionFactor\": 2, \"maxResource\": 20}}"})
    void sixteenWorkersReportingAtOnceGetConsistentDecisions(String pruner) throws Exception {
        Http http = http();
        String name = unique("prune-many");
        String study = "/api/v1/studies/" + name;
        assertThat(http.put(study, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}, "
                + "\"strategy\": {\"name\": \"random\", \"seed\": " + SEED + "}, \"pruner\": " + pruner + "}").status()).isEqualTo(201);
        Map<String, Object> spec = json.readValue(pruner, new TypeReference<Map<String, Object>>() {
        });
        @SuppressWarnings("unchecked")
        Pruner expected = Pruners.create((String) spec.get("name"), (Map<String, Object>) spec.get("options"));

        long[] numbers = new long[WORKERS];
        Http.Response asked = http.post(study + "/trials/ask", "{\"count\": " + WORKERS + "}");
        for (int w = 0; w < WORKERS; w++) {
            numbers[w] = asked.body().get("trials").get(w).get("number").asLong();
        }
        var concurrent = new ConcurrentHashMap<String, Boolean>();
        var settled = new ConcurrentHashMap<String, Boolean>();
        var barrier = new CyclicBarrier(WORKERS);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (long step = 1; step <= STEPS; step++) {
                        String path = study + "/trials/" + numbers[worker] + "/report";
                        String body = "{\"step\": " + step + ", \"value\": " + value(worker, step) + "}";
                        barrier.await(30, TimeUnit.SECONDS);
                        Http.Response first = http.post(path, body);
                        assertThat(first.status()).as(first.text()).isEqualTo(200);
                        concurrent.put(worker + ":" + step, first.body().get("prune").asBoolean());
                        barrier.await(30, TimeUnit.SECONDS);
                        Http.Response retry = http.post(path, body);
                        assertThat(retry.status()).as(retry.text()).isEqualTo(200);
                        settled.put(worker + ":" + step, retry.body().get("prune").asBoolean());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long studyId = jdbc.sql("select id from study where name = :name").param("name", name).query(Long.class).single();
        assertThat(jdbc.sql("select count(*) from intermediate_value where study_id = :id").param("id", studyId)
                .query(Long.class).single()).isEqualTo((long) WORKERS * STEPS);

        int stopped = 0;
        for (int w = 0; w < WORKERS; w++) {
            double best = Double.POSITIVE_INFINITY;
            for (long step = 1; step <= STEPS; step++) {
                best = Math.min(best, value(w, step));
                List<Long> peers = new ArrayList<>();
                List<Double> losses = new ArrayList<>();
                for (int other = 0; other < WORKERS; other++) {
                    if (other != w) {
                        peers.add(numbers[other]);
                        losses.add(value(other, step));
                    }
                }
                boolean decision = expected.decide(SEED, numbers[w], new Pruner.Report(step, value(w, step), best),
                        peers.stream().mapToLong(Long::longValue).toArray(), losses.stream().mapToDouble(Double::doubleValue).toArray());
                assertThat(settled.get(w + ":" + step)).as("worker %d step %d", w, step).isEqualTo(decision);
                stopped += decision ? 1 : 0;
            }
        }
        assertThat(stopped).as("the scenario does stop trials").isPositive();
        for (long step = 1; step <= STEPS; step++) {
            assertThat(concurrent.get("0:" + step)).as("the best trial is never stopped").isFalse();
        }
    }
}
