package dev.tellus.trial;

import dev.tellus.IntegrationTest;
import dev.tellus.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimistic ask of a {@code random} study (one statement, committed on its own, valid only while the counter is
 * where this replica expects it, the study ACTIVE and nothing WAITING): whatever else moves the study on is seen.
 */
class OptimisticAskIT extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private static final String SPACE = """
            {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random", "seed": 5}}""";

    private String study(Http http, String prefix) {
        String study = "/api/v1/studies/" + unique(prefix);
        assertThat(http.put(study, SPACE).status()).isEqualTo(201);
        return study;
    }

    private static long ask(Http http, String study) {
        return http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong();
    }

    @Test
    void trialsEnqueuedBetweenAsksAreHandedOutFirst() {
        Http http = http();
        String study = study(http, "optimistic-enqueue");
        assertThat(ask(http, study)).isZero();
        assertThat(ask(http, study)).isEqualTo(1);
        assertThat(http.post(study + "/trials", "{\"params\": {\"x\": 0.25}}").status()).isEqualTo(201);
        assertThat(http.post(study + "/trials", "{\"params\": {\"x\": 0.75}}").status()).isEqualTo(201);
        JsonNode next = http.post(study + "/trials/ask", "{}").body().at("/trials/0");
        assertThat(next.get("number").asLong()).isEqualTo(2);
        assertThat(next.at("/params/x").asDouble()).isEqualTo(0.25);
        // The counter has not moved since that ask: only the WAITING trial left tells the next ask to lock.
        JsonNode then = http.post(study + "/trials/ask", "{}").body().at("/trials/0");
        assertThat(then.get("number").asLong()).isEqualTo(3);
        assertThat(then.at("/params/x").asDouble()).isEqualTo(0.75);
        assertThat(ask(http, study)).isEqualTo(4);
    }

    @Test
    void aCounterMovedByAnotherReplicaIsNotNumberedTwice() {
        Http http = http();
        String study = study(http, "optimistic-replica");
        ask(http, study);
        ask(http, study);
        // Another replica numbered trials 2..6 meanwhile (its rows are not needed to move the counter).
        jdbc.sql("update study set next_number = next_number + 5 where name = :name")
                .param("name", study.substring(study.lastIndexOf('/') + 1)).update();
        assertThat(ask(http, study)).isEqualTo(7);
        assertThat(ask(http, study)).isEqualTo(8);
    }

    /**
     * Once another replica has moved the counter, a {@code random} ask proposes for a window of numbers past its
     * guess and takes the ones the counter is at: each trial still gets the params its number draws (those of a
     * twin study asked one by one) and goes to the worker that asked, and nothing is numbered twice.
     */
    @Test
    void anAskWithinTheWindowTakesTheNumbersTheCounterIsAtWithTheirOwnParams() {
        Http http = http();
        String study = study(http, "optimistic-window");
        String name = study.substring(study.lastIndexOf('/') + 1);
        String twin = study(http, "optimistic-window-twin");
        ask(http, study);
        ask(http, study);
        // Another replica's trials 2..4, then 6..7 (rows are not needed to move the counter).
        jdbc.sql("update study set next_number = next_number + 3 where name = :name").param("name", name).update();
        assertThat(ask(http, study)).isEqualTo(5);
        jdbc.sql("update study set next_number = next_number + 2 where name = :name").param("name", name).update();
        JsonNode asked = http.post(study + "/trials/ask", "{\"worker\": \"w-8\", \"count\": 2}").body().get("trials");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(0).get("number").asLong()).isEqualTo(8);
        assertThat(asked.get(1).get("number").asLong()).isEqualTo(9);
        assertThat(ask(http, study)).isEqualTo(10);
        for (int i = 0; i <= 10; i++) {
            ask(http, twin);
        }
        for (int n : new int[] {5, 8, 9, 10}) {
            JsonNode mine = http.get(study + "/trials/" + n).body();
            assertThat(mine.get("params")).as("trial %d", n).isEqualTo(http.get(twin + "/trials/" + n).body().get("params"));
        }
        assertThat(http.get(study + "/trials/9").body().get("worker").asString()).isEqualTo("w-8");
        assertThat(jdbc.sql("select number from trial t join study s on s.id = t.study_id where s.name = :name order by number")
                .param("name", name).query(Long.class).list()).containsExactly(0L, 1L, 5L, 8L, 9L, 10L);
    }

    @Test
    void aPausedStudyHandsOutNothingAndResumesWhereItWas() {
        Http http = http();
        String study = study(http, "optimistic-pause");
        ask(http, study);
        ask(http, study);
        assertThat(http.patch(study, "{\"state\": \"PAUSED\"}").status()).isEqualTo(200);
        JsonNode paused = http.post(study + "/trials/ask", "{}").body();
        assertThat(paused.get("trials").size()).isZero();
        assertThat(paused.get("retryAfterSeconds").asInt()).isPositive();
        assertThat(http.patch(study, "{\"state\": \"ACTIVE\"}").status()).isEqualTo(200);
        assertThat(ask(http, study)).isEqualTo(2);
    }

    @Test
    void concurrentAsksGetDistinctConsecutiveNumbersAndTheSeededParams() throws Exception {
        Http http = http();
        String study = study(http, "optimistic-concurrent");
        // The same seed with a budget: a budgeted study always takes the locking path.
        String twin = "/api/v1/studies/" + unique("optimistic-twin");
        assertThat(http.put(twin, SPACE.replace("\"strategy\"", "\"maxTrials\": 1000, \"strategy\"")).status())
                .isEqualTo(201);
        ask(http, study); // from here on the optimistic path
        var numbers = new HashSet<Long>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var asks = new ArrayList<Future<JsonNode>>();
            for (int i = 0; i < 200; i++) {
                asks.add(pool.submit(() -> http.post(study + "/trials/ask", "{\"count\": 2}").body()));
            }
            for (Future<JsonNode> f : asks) {
                for (JsonNode t : f.get().get("trials")) {
                    assertThat(numbers.add(t.get("number").asLong())).isTrue();
                }
            }
        }
        assertThat(numbers).hasSize(400);
        assertThat(numbers.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(400);
        List<Long> rows = jdbc.sql("select number from trial t join study s on s.id = t.study_id where s.name = :name order by number")
                .param("name", study.substring(study.lastIndexOf('/') + 1)).query(Long.class).list();
        assertThat(rows).hasSize(401).first().isEqualTo(0L);
        // Trial n's params depend only on the seed and n, whichever path numbered it.
        JsonNode mine = http.get(study + "/trials/17").body();
        for (int i = 0; i <= 17; i++) {
            ask(http, twin);
        }
        assertThat(http.get(twin + "/trials/17").body().get("params")).isEqualTo(mine.get("params"));
    }

    /**
     * A {@code tpe} study's asks take the same guarded path (after reading the trials): trials enqueued between asks
     * are handed out first, a counter moved by another replica is not numbered twice, and concurrent asks get
     * distinct consecutive numbers.
     */
    @Test
    void aTpeStudyIsGuardedTheSameWay() throws Exception {
        Http http = http();
        String name = unique("optimistic-tpe");
        String study = "/api/v1/studies/" + name;
        assertThat(http.put(study, SPACE.replace("\"random\"", "\"tpe\"")).status()).isEqualTo(201);
        for (int i = 0; i < 12; i++) {
            long n = ask(http, study);
            assertThat(n).isEqualTo(i);
            http.post(study + "/trials/" + n + "/tell", "{\"value\": " + (i % 4) + "}");
        }
        assertThat(http.post(study + "/trials", "{\"params\": {\"x\": 0.125}}").status()).isEqualTo(201);
        JsonNode enqueued = http.post(study + "/trials/ask", "{}").body().at("/trials/0");
        assertThat(enqueued.get("number").asLong()).isEqualTo(12);
        assertThat(enqueued.at("/params/x").asDouble()).isEqualTo(0.125);
        assertThat(ask(http, study)).isEqualTo(13);
        jdbc.sql("update study set next_number = next_number + 5 where name = :name").param("name", name).update();
        assertThat(ask(http, study)).isEqualTo(19);

        var numbers = new HashSet<Long>();
        try (var pool = Executors.newFixedThreadPool(6)) {
            var asks = new ArrayList<Future<JsonNode>>();
            for (int i = 0; i < 60; i++) {
                asks.add(pool.submit(() -> http.post(study + "/trials/ask", "{}").body()));
            }
            for (Future<JsonNode> f : asks) {
                for (JsonNode t : f.get().get("trials")) {
                    assertThat(numbers.add(t.get("number").asLong())).isTrue();
                }
            }
        }
        assertThat(numbers).hasSize(60);
        assertThat(numbers.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(20);
        assertThat(numbers.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(79);
    }
}
