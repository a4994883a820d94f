package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mixed asks, tells and heartbeats across many studies from many threads: no 5xx, no deadlock, and the
 * database's counts equal what was acknowledged. {@code -Dtellus.stress.ops=10000} runs the full-size load.
 */
class StressIT extends IntegrationTest {

    static final int STUDIES = 50;
    static final int THREADS = 32;

    @Test
    void mixedLoadAcrossStudiesKeepsEveryAcknowledgedRequest() throws Exception {
        int ops = Integer.getInteger("tellus.stress.ops", 2000);
        Http http = http();
        String prefix = unique("stress");
        List<String> studies = new ArrayList<>();
        for (int s = 0; s < STUDIES; s++) {
            String study = "/api/v1/studies/" + prefix + "-" + s;
            String strategy = s % 5 == 0
                    ? "\"grid\", \"options\": {\"grid\": {\"x\": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]}}"
                    : "\"random\"";
            assertThat(http.put(study, """
                    {"space": {"x": {"type": "float", "low": 0, "high": 1}, "k": {"type": "int", "low": 1, "high": 64}},
                     "strategy": {"name": %s}}""".formatted(strategy)).status()).isEqualTo(201);
            studies.add(study);
        }

        var handedOut = new ConcurrentHashMap<String, ConcurrentLinkedQueue<Long>>();
        var completed = new ConcurrentHashMap<String, AtomicInteger>();
        studies.forEach(s -> {
            handedOut.put(s, new ConcurrentLinkedQueue<>());
            completed.put(s, new AtomicInteger());
        });
        var errors = new ConcurrentLinkedQueue<String>();
        var done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    var running = new ArrayList<Map.Entry<String, Long>>();
                    var random = new java.util.SplittableRandom(thread);
                    while (done.incrementAndGet() <= ops) {
                        int pick = random.nextInt(10);
                        if (running.isEmpty() || pick < 4) {
                            String study = studies.get(random.nextInt(STUDIES));
                            Http.Response r = http.post(study + "/trials/ask", "{\"worker\": \"t" + thread + "\", \"count\": " + (1 + random.nextInt(2)) + "}");
                            if (r.status() != 200) {
                                errors.add("ask " + r.status() + " " + r.text());
                                continue;
                            }
                            for (JsonNode trial : r.body().get("trials")) {
                                handedOut.get(study).add(trial.get("number").asLong());
                                running.add(Map.entry(study, trial.get("number").asLong()));
                            }
                        } else if (pick < 6) {
                            var trial = running.get(random.nextInt(running.size()));
                            Http.Response r = http.post(trial.getKey() + "/trials/" + trial.getValue() + "/heartbeat", null);
                            if (r.status() != 200) {
                                errors.add("heartbeat " + r.status() + " " + r.text());
                            }
                        } else {
                            var trial = running.remove(random.nextInt(running.size()));
                            Http.Response r = http.post(trial.getKey() + "/trials/" + trial.getValue() + "/tell", "{\"value\": " + random.nextDouble() + "}");
                            if (r.status() != 200) {
                                errors.add("tell " + r.status() + " " + r.text());
                            } else {
                                completed.get(trial.getKey()).incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(errors).isEmpty();
        for (String study : studies) {
            JsonNode counts = http.get(study).body().get("counts");
            List<Long> numbers = handedOut.get(study).stream().sorted().toList();
            assertThat(numbers).doesNotHaveDuplicates();
            int total = counts.get("RUNNING").asInt() + counts.get("COMPLETED").asInt();
            assertThat(total).as(study).isEqualTo(numbers.size());
            assertThat(counts.get("COMPLETED").asInt()).as(study).isEqualTo(completed.get(study).get());
            if (!numbers.isEmpty()) {
                assertThat(numbers.get(numbers.size() - 1)).isEqualTo(numbers.size() - 1L);
            }
        }
    }
}
