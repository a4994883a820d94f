package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many workers on one grid study: every point exactly once, numbers without gaps, done only at the end. */
class GridConcurrencyIT extends IntegrationTest {

    static final int THREADS = 16;

    @Test
    void sixteenThreadsAskingAtOnceGetEveryGridPointExactlyOnce() throws Exception {
        Http http = http();
        String name = unique("grid");
        String study = "/api/v1/studies/" + name;
        // 5 x 4 x 3 x 2 = 120 points, with a continuous float made griddable by listed values.
        assertThat(http.put(study, """
                {"space": {
                   "a": {"type": "int", "low": 1, "high": 5},
                   "b": {"type": "categorical", "choices": ["w", "x", "y", "z"]},
                   "c": {"type": "float", "low": 0.0, "high": 1.0, "step": 0.5},
                   "lr": {"type": "float", "low": 0.0001, "high": 0.1, "log": true}},
                 "strategy": {"name": "grid", "options": {"grid": {"lr": [0.001, 0.01]}}}}""").status()).isEqualTo(201);

        var numbers = new ConcurrentLinkedQueue<Long>();
        var points = new ConcurrentLinkedQueue<String>();
        var doneSeen = new ConcurrentLinkedQueue<Integer>();
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    start.await();
                    int finishedRounds = 0;
                    while (true) {
                        Http.Response r = http.post(study + "/trials/ask", "{\"worker\": \"w" + worker + "\", \"count\": 2}");
                        assertThat(r.status()).isEqualTo(200);
                        JsonNode trials = r.body().get("trials");
                        if (trials.isEmpty()) {
                            if (r.body().get("done").asBoolean()) {
                                doneSeen.add(worker);
                                return null;
                            }
                            Thread.sleep(20);
                            continue;
                        }
                        for (JsonNode t : trials) {
                            numbers.add(t.get("number").asLong());
                            points.add(t.get("params").toString());
                            assertThat(http.post(study + "/trials/" + t.get("number").asLong() + "/tell",
                                    "{\"value\": " + (finishedRounds++) + "}").status()).isEqualTo(200);
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(points).hasSize(120);
        Set<String> distinct = new HashSet<>(points);
        assertThat(distinct).hasSize(120);
        List<Long> sorted = numbers.stream().sorted().toList();
        assertThat(sorted).isEqualTo(java.util.stream.LongStream.range(0, 120).boxed().toList());
        assertThat(doneSeen).hasSize(THREADS);
        JsonNode summary = http.get(study).body();
        assertThat(summary.at("/counts/COMPLETED").asInt()).isEqualTo(120);
        assertThat(summary.get("state").asString()).isEqualTo("COMPLETED");
    }
}
