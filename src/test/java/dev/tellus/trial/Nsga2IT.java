package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NSGA-II over HTTP on PostgreSQL with two objectives and a constraint: concurrent workers whose results arrive out of
 * order, and a lost strategy state (as after a restart without it) that is rebuilt from the trials' tags.
 */
class Nsga2IT extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private static final String DEFINITION = """
            {"space": {"x": {"type": "float", "low": 0, "high": 1}, "y": {"type": "float", "low": 0, "high": 1}},
             "objectives": [{"name": "f1", "reference": 1.1}, {"name": "f2", "reference": 11}],
             "constraints": [{"name": "c"}],
             "strategy": {"name": "nsga2", "seed": 11, "options": {"population": 8}}, "maxTrials": %d}""";

    /** ZDT1 in two variables, feasible when y ≤ 0.6. */
    private static String result(JsonNode params) {
        double x = params.get("x").asDouble();
        double y = params.get("y").asDouble();
        double g = 1 + 9 * y;
        return "{\"values\": [" + x + ", " + g * (1 - Math.sqrt(x / g)) + "], \"constraints\": [" + (y - 0.6) + "]}";
    }

    private String create(int maxTrials) {
        String name = unique("nsga2");
        assertThat(http().put("/api/v1/studies/" + name, DEFINITION.formatted(maxTrials)).status()).isEqualTo(201);
        return name;
    }

    private void forgetState(String name) {
        assertThat(jdbc.sql("delete from strategy_state where study_id = (select id from study where name = :name)")
                .param("name", name).update()).isEqualTo(1);
    }

    /** One worker asks batches of 3 and tells them newest first; returns the params in trial order. */
    private List<String> drive(String name, int trials, Integer forgetAt) {
        Http http = http();
        String study = "/api/v1/studies/" + name;
        var params = new ArrayList<String>();
        while (params.size() < trials) {
            if (forgetAt != null && params.size() == forgetAt) {
                forgetState(name);
            }
            JsonNode asked = http.post(study + "/trials/ask", "{\"count\": 3}").body().get("trials");
            for (int i = asked.size() - 1; i >= 0; i--) {
                JsonNode t = asked.get(i);
                assertThat(http.post(study + "/trials/" + t.get("number").asLong() + "/tell", result(t.get("params"))).status())
                        .isEqualTo(200);
            }
            asked.forEach(t -> params.add(t.get("params").toString()));
        }
        return params;
    }

    @Test
    void aLostStateIsRebuiltToTheSameProposalsWithResultsOutOfOrder() {
        List<String> straight = drive(create(30), 30, null);
        List<String> restarted = drive(create(30), 30, 15);
        assertThat(restarted).isEqualTo(straight);
    }

    @Test
    void concurrentWorkersReachAFeasibleFrontAndEveryGenerationMemberIsHandedOutOnce() throws Exception {
        String name = create(48);
        String study = "/api/v1/studies/" + name;
        Http http = http();
        var errors = new ConcurrentLinkedQueue<String>();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    var random = new Random(worker);
                    var held = new ArrayList<JsonNode>();
                    while (true) {
                        Http.Response r = http.post(study + "/trials/ask", "{\"worker\": \"w" + worker + "\", \"count\": 2}");
                        if (r.status() != 200) {
                            errors.add(r.status() + " " + r.text());
                            return null;
                        }
                        r.body().get("trials").forEach(held::add);
                        if (r.body().get("trials").isEmpty() && held.isEmpty()) {
                            if (r.body().get("done").asBoolean()) {
                                return null;
                            }
                            Thread.sleep(20);
                            continue;
                        }
                        // Results come back in a shuffled order, some held over to the next round.
                        Collections.shuffle(held, random);
                        int tell = held.size() > 1 && random.nextBoolean() ? held.size() - 1 : held.size();
                        for (JsonNode t : new ArrayList<>(held.subList(0, tell))) {
                            Http.Response told = http.post(study + "/trials/" + t.get("number").asLong() + "/tell",
                                    result(t.get("params")));
                            if (told.status() != 200) {
                                errors.add(told.status() + " " + told.text());
                            }
                            held.remove(t);
                        }
                        if (worker == 0 && random.nextInt(10) == 0) {
                            // A replica that lost its state mid-run: the next ask rebuilds it from the tags.
                            jdbc.sql("delete from strategy_state where study_id = (select id from study where name = :name)")
                                    .param("name", name).update();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(errors).isEmpty();
        JsonNode trials = http.get(study + "/trials?limit=1000").body().get("trials");
        assertThat(trials.size()).isEqualTo(48);
        var members = new HashSet<String>();
        for (JsonNode t : trials) {
            assertThat(t.get("state").asString()).isEqualTo("COMPLETED");
        }
        jdbc.sql("select tags ->> 'generation', tags ->> 'member' from trial where study_id = (select id from study where name = :name)")
                .param("name", name).query((rs, i) -> members.add(rs.getString(1) + "/" + rs.getString(2))).list();
        assertThat(members).as("each (generation, member) handed out once").hasSize(48);
        JsonNode best = http.get(study + "/best").body();
        assertThat(best.get("feasible").asBoolean()).isTrue();
        assertThat(best.get("trials")).allSatisfy(t -> assertThat(t.at("/constraints/0").asDouble()).isLessThanOrEqualTo(0));
        assertThat(http.get(study).body().get("hypervolume").asDouble()).isGreaterThan(8.0);
    }
}
