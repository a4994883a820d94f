package dev.tellus;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round trips of the hot path, counted on the statements PostgreSQL receives: an ask of a {@code random} study
 * is one statement once this replica knows its counter (advance it if it is still there, and insert), an ask of
 * another strategy two (lock and read everything; insert and advance the counter), a tell of a running trial one
 * (a guarded update returning the row and its intermediate values), heartbeat and report one each besides the
 * report's own work. Before issue #13 an ask and a tell took eleven.
 */
class HotPathStatementsIT extends IntegrationTest {

    private static final java.util.regex.Pattern QUOTA_SNAPSHOT = java.util.regex.Pattern.compile(
            "^select max_running_trials from project|^select count\\(\\*\\) from trial where state = 'running' and study_id in");

    @Test
    void anAskAndATellOfARandomStudyCostOneStatementEach() {
        Http http = http();
        String study = "/api/v1/studies/" + unique("round-trips");
        assertThat(http.put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"}}""").status())
                .isEqualTo(201);
        // The first ask resolves the study's id once; what follows is the steady state.
        long first = http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong();
        http.post(study + "/trials/" + first + "/tell", "{\"value\": 1}");

        List<String> ask;
        long number;
        try (var counting = StatementRecorder.count()) {
            number = http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong();
            ask = List.copyOf(counting.statements);
        }
        List<String> tell;
        try (var counting = StatementRecorder.count()) {
            assertThat(http.post(study + "/trials/" + number + "/tell", "{\"value\": 0.5}").status()).isEqualTo(200);
            tell = List.copyOf(counting.statements);
        }
        List<String> heartbeat;
        long other = http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong();
        try (var counting = StatementRecorder.count()) {
            assertThat(http.post(study + "/trials/" + other + "/heartbeat", "").status()).isEqualTo(200);
            heartbeat = List.copyOf(counting.statements);
        }

        // The running-trial quota refreshes its per-project snapshot at most once a second (RunningTrialQuota); on a
        // slow machine that refresh can fall inside the counted ask. It is not per ask, so it is not counted here.
        ask = ask.stream().filter(sql -> !QUOTA_SNAPSHOT.matcher(sql).find()).toList();
        assertThat(ask).as("ask").hasSize(1);
        assertThat(ask.get(0)).startsWith("with counter as (")
                .contains("update study", "next_number between ? and ?", "state = 'waiting'", "insert into trial");
        assertThat(tell).as("tell").hasSize(1);
        assertThat(tell.get(0)).startsWith("update trial t set").contains("t.state = 'running'", "returning");
        assertThat(heartbeat).as("heartbeat").hasSize(1);
    }

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAskThatFindsTheCounterMovedByAnotherReplicaTriesAgainAtOnceWithoutLocking() {
        Http http = http();
        String name = unique("round-trips-replica");
        String study = "/api/v1/studies/" + name;
        assertThat(http.put(study, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"}}""").status())
                .isEqualTo(201);
        http.post(study + "/trials/ask", "{}");
        http.post(study + "/trials/ask", "{}");
        // Another replica numbered trials 2..4 meanwhile.
        jdbc.sql("update study set next_number = next_number + 3 where name = :name").param("name", name).update();

        List<String> ask;
        try (var counting = StatementRecorder.count()) {
            assertThat(http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong()).isEqualTo(5);
            ask = List.copyOf(counting.statements);
        }
        List<String> next;
        try (var counting = StatementRecorder.count()) {
            assertThat(http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong()).isEqualTo(6);
            next = List.copyOf(counting.statements);
        }
        // Another replica numbered trials 7 and 8 meanwhile: within the window this replica now proposes past its
        // guess, so the statement takes number 9 without a second try.
        jdbc.sql("update study set next_number = next_number + 2 where name = :name").param("name", name).update();
        List<String> windowed;
        try (var counting = StatementRecorder.count()) {
            assertThat(http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong()).isEqualTo(9);
            windowed = List.copyOf(counting.statements);
        }
        ask = ask.stream().filter(sql -> !QUOTA_SNAPSHOT.matcher(sql).find()).toList();
        next = next.stream().filter(sql -> !QUOTA_SNAPSHOT.matcher(sql).find()).toList();
        windowed = windowed.stream().filter(sql -> !QUOTA_SNAPSHOT.matcher(sql).find()).toList();
        // The guarded statement that found the counter moved answered where it is, and the second try took it.
        assertThat(ask).as("ask after another replica's").hasSize(2)
                .allSatisfy(sql -> assertThat(sql).startsWith("with counter as (").contains("next_number between"));
        assertThat(ask).noneMatch(sql -> sql.contains("for update"));
        assertThat(next).as("the ask after it").hasSize(1);
        assertThat(windowed).as("an ask after another replica's within the window").hasSize(1);
    }

    private static final String TPE_STUDY = """
            {"space": {"x": {"type": "float", "low": 0, "high": 1}, "k": {"type": "int", "low": 1, "high": 8}},
             "strategy": {"name": "tpe", "seed": 7, "options": {"startupTrials": 3}}}""";

    /**
     * A {@code tpe} ask takes no lock either: one statement reads the finished trials that changed and the running
     * ones (the constant liar's), the guarded statement inserts. It used to be five (lock, finished, running,
     * insert, commit).
     */
    @Test
    void anAskOfATpeStudyReadsItsHistoryInOneStatementAndInsertsWithoutLocking() {
        Http http = http();
        String study = "/api/v1/studies/" + unique("round-trips-tpe");
        assertThat(http.put(study, TPE_STUDY).status()).isEqualTo(201);
        for (int i = 0; i < 5; i++) {
            long n = http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong();
            http.post(study + "/trials/" + n + "/tell", "{\"value\": " + (i % 3) + "}");
        }
        http.post(study + "/trials/ask", "{}"); // one trial left running: the next ask models it as pending

        List<String> ask;
        try (var counting = StatementRecorder.count()) {
            assertThat(http.post(study + "/trials/ask", "{}").body().at("/trials/0/number").asLong()).isEqualTo(6);
            ask = List.copyOf(counting.statements);
        }
        ask = ask.stream().filter(sql -> !QUOTA_SNAPSHOT.matcher(sql).find()).toList();
        assertThat(ask).as("ask").hasSize(2);
        assertThat(ask.get(0)).startsWith("select number, state, params").contains("number >= ?");
        assertThat(ask.get(1)).startsWith("with counter as (").contains("next_number between ? and ?", "insert into trial");
        assertThat(ask).noneMatch(sql -> sql.contains("for update") || sql.contains("for no key update"));
    }

    /**
     * The optimistic {@code tpe} ask proposes what the locking one would: two studies with the same definition and
     * seed, one asked plainly (optimistic after its first ask), the other with idempotency keys (always the locking
     * path), asked and told in the same order with two trials running at a time, get the same params trial for
     * trial — the history each ask modelled, running trials included, was the same.
     */
    @Test
    void optimisticAndLockingTpeAsksProposeTheSameTrials() {
        Http http = http();
        String plain = "/api/v1/studies/" + unique("tpe-optimistic");
        String keyed = "/api/v1/studies/" + unique("tpe-locking");
        assertThat(http.put(plain, TPE_STUDY).status()).isEqualTo(201);
        assertThat(http.put(keyed, TPE_STUDY).status()).isEqualTo(201);
        List<String> plainParams = new java.util.ArrayList<>();
        List<String> keyedParams = new java.util.ArrayList<>();
        java.util.ArrayDeque<long[]> running = new java.util.ArrayDeque<>();
        for (int i = 0; i < 24; i++) {
            var a = http.post(plain + "/trials/ask", "{}").body().at("/trials/0");
            var b = http.send("POST", keyed + "/trials/ask", "{}", java.util.Map.of("Idempotency-Key", "ask-" + i))
                    .body().at("/trials/0");
            assertThat(b.at("/number").asLong()).isEqualTo(a.at("/number").asLong());
            plainParams.add(a.at("/params").toString());
            keyedParams.add(b.at("/params").toString());
            running.add(new long[] {a.at("/number").asLong()});
            if (running.size() == 2) {
                long n = running.removeFirst()[0];
                String value = "{\"value\": " + ((n * 7) % 5) + "}";
                assertThat(http.post(plain + "/trials/" + n + "/tell", value).status()).isEqualTo(200);
                assertThat(http.post(keyed + "/trials/" + n + "/tell", value).status()).isEqualTo(200);
            }
        }
        assertThat(plainParams).isEqualTo(keyedParams);
        assertThat(new java.util.HashSet<>(plainParams)).as("distinct proposals").hasSizeGreaterThan(20);
    }
}
