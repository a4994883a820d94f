package dev.tellus.dashboard;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The importance API and the dashboard's summary endpoints, over HTTP on a real PostgreSQL. */
class AnalysisApiIT extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private String seeded(int trials) {
        String name = unique("analysis");
        http().put("/api/v1/studies/" + name, """
                {"space": %s, "objectives": [{"name": "loss", "direction": "minimize"}, {"name": "cost"}]}"""
                .formatted(StudySeeder.SPACE));
        StudySeeder.seed(jdbc, name, trials, 5);
        return name;
    }

    @Test
    void importanceNamesEveryParameterAndSumsToOne() {
        String name = unique("imp");
        http().put("/api/v1/studies/" + name, "{\"space\": " + StudySeeder.SPACE + "}");
        StudySeeder.seed(jdbc, name, 3000, 9);
        Http.Response response = http().get("/api/v1/studies/" + name + "/importance");
        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.body();
        assertThat(body.get("method").asString()).isEqualTo("fanova-random-forest");
        assertThat(body.get("objective").asString()).isEqualTo("value");
        // 3000 trials, about 2,600 completed: sampled down to 2,000.
        assertThat(body.get("trials").asInt()).isEqualTo(2000);
        double sum = 0;
        var names = new ArrayList<String>();
        for (var entry : body.get("importance").properties()) {
            names.add(entry.getKey());
            sum += entry.getValue().asDouble();
        }
        assertThat(names).containsExactly("lr", "layers", "dropout", "optimizer", "momentum");
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // The seeded loss: lr dominates ((log10 lr + 2.5)^2 / 4 spans ~2.5 over the range), dropout next.
        assertThat(body.get("importance").get("lr").asDouble()).isGreaterThan(0.8);
        // Deterministic: asked again, the same answer.
        assertThat(http().get("/api/v1/studies/" + name + "/importance").text()).isEqualTo(response.text());
    }

    @Test
    void withStaleTheLastEstimateIsAnsweredAtOnceWhileTheCurrentOneComputes() throws Exception {
        String name = unique("imp-stale");
        http().put("/api/v1/studies/" + name, "{\"space\": " + StudySeeder.SPACE + "}");
        StudySeeder.seed(jdbc, name, 400, 3);
        String path = "/api/v1/studies/" + name + "/importance";
        // No earlier estimate: computed now, even with stale=true.
        JsonNode first = http().get(path + "?stale=true").body();
        long completed = first.get("completed").asLong();
        assertThat(first.get("current").asBoolean()).isTrue();
        assertThat(completed).isEqualTo(completedOf(name));

        StudySeeder.seed(jdbc, name, 100, 4);
        long now = completedOf(name);
        assertThat(now).isGreaterThan(completed);
        // Trials finished since: the earlier estimate at once, saying so.
        JsonNode stale = http().get(path + "?stale=true").body();
        assertThat(stale.get("current").asBoolean()).isFalse();
        assertThat(stale.get("completed").asLong()).isEqualTo(completed);
        assertThat(stale.get("importance")).isEqualTo(first.get("importance"));
        // The current one arrives once computed in the background.
        JsonNode current = stale;
        for (int i = 0; i < 200 && !current.get("current").asBoolean(); i++) {
            Thread.sleep(50);
            current = http().get(path + "?stale=true").body();
        }
        assertThat(current.get("current").asBoolean()).isTrue();
        assertThat(current.get("completed").asLong()).isEqualTo(now);
        // Without stale the answer is always the current one, and the same as the background's.
        JsonNode plain = http().get(path).body();
        assertThat(plain.get("current").asBoolean()).isTrue();
        assertThat(plain.get("completed").asLong()).isEqualTo(now);
        assertThat(plain.get("importance")).isEqualTo(current.get("importance"));
    }

    private long completedOf(String name) {
        return jdbc.sql("""
                        select count(*) from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'COMPLETED'""")
                .param("n", name).query(Long.class).single();
    }

    @Test
    void importanceOfAnUnknownObjectiveIs400() {
        String name = seeded(50);
        Http.Response response = http().get("/api/v1/studies/" + name + "/importance?objective=nope");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text()).contains("objective");
        assertThat(http().get("/api/v1/studies/" + name + "/importance?objective=loss").status()).isEqualTo(200);
        assertThat(http().get("/api/v1/studies/" + unique("none") + "/importance").status()).isEqualTo(404);
    }

    @Test
    void historyIsDownsampledButKeepsEveryImprovement() {
        String name = seeded(5000);
        JsonNode h = http().get("/api/v1/studies/" + name + "/summary/history?limit=500").body();
        List<Double> all = jdbc.sql("""
                        select t.objective_values[1] from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'COMPLETED' order by t.number""")
                .param("n", name).query(Double.class).list();
        assertThat(h.get("total").asLong()).isEqualTo(all.size());
        assertThat(h.get("downsampled").asBoolean()).isTrue();
        assertThat(h.get("shown").asInt()).isEqualTo(500).isEqualTo(h.get("numbers").size());
        var shownValues = new HashSet<Double>();
        h.get("values").forEach(v -> shownValues.add(v.asDouble()));
        double best = Double.POSITIVE_INFINITY;
        for (double v : all) {
            if (v < best) {
                best = v;
                assertThat(shownValues).contains(v);
            }
        }
        assertThat(h.get("prunedTotal").asLong()).isPositive();
        assertThat(h.get("failedTotal").asLong()).isPositive();
    }

    @Test
    void pointsKeepTheParetoFrontAndSayTheyAreASample() {
        String name = unique("front");
        http().put("/api/v1/studies/" + name, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}},
                 "objectives": [{"name": "a"}, {"name": "b"}]}""");
        // On the front: a = x, b = 1 - x for even numbers; odd ones are copies shifted up, so dominated.
        jdbc.sql("""
                insert into trial (study_id, number, state, params, objective_values, created_at, finished_at)
                select s.id, g, 'COMPLETED', jsonb_build_object('x', g / 150.0),
                       array[g / 150.0 + (g % 2) * 0.5, 1 - g / 150.0 + (g % 2) * 0.5], now(), now()
                from study s, generate_series(0, 149) g where s.name = :n""").param("n", name).update();
        jdbc.sql("update study set next_number = 150 where name = :n").param("n", name).update();
        JsonNode p = http().get("/api/v1/studies/" + name + "/summary/points?limit=100").body();
        assertThat(p.get("total").asInt()).isEqualTo(150);
        assertThat(p.get("shown").asInt()).isEqualTo(100);
        assertThat(p.get("downsampled").asBoolean()).isTrue();
        int front = 0;
        for (JsonNode f : p.get("front")) {
            front += f.asBoolean() ? 1 : 0;
        }
        assertThat(front).isEqualTo(75);
        assertThat(p.get("params").get("x").size()).isEqualTo(100);
    }

    @Test
    void trialsTableFiltersSortsAndRejectsBadInput() {
        String name = seeded(400);
        String filter = URLEncoder.encode("{\"params\": {\"optimizer\": [\"sgd\"], \"layers\": [2, 4]}}", StandardCharsets.UTF_8);
        JsonNode page = http().get("/api/v1/studies/" + name + "/summary/trials?state=COMPLETED&sort=value:loss&order=asc&limit=20&filter=" + filter).body();
        long expected = jdbc.sql("""
                        select count(*) from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'COMPLETED' and t.params ->> 'optimizer' = 'sgd'
                          and (t.params ->> 'layers')::int between 2 and 4""")
                .param("n", name).query(Long.class).single();
        assertThat(page.get("total").asLong()).isEqualTo(expected).isPositive();
        double previous = Double.NEGATIVE_INFINITY;
        for (JsonNode t : page.get("trials")) {
            assertThat(t.get("params").get("optimizer").asString()).isEqualTo("sgd");
            assertThat(t.get("params").get("layers").asInt()).isBetween(2, 4);
            double loss = t.get("values").get(0).asDouble();
            assertThat(loss).isGreaterThanOrEqualTo(previous);
            previous = loss;
        }
        for (String bad : List.of("sort=params.lr", "order=up", "limit=0", "filter=%7Bnope",
                "filter=" + URLEncoder.encode("{\"params\": {\"zzz\": [1, 2]}}", StandardCharsets.UTF_8),
                "filter=" + URLEncoder.encode("{\"params\": {\"lr\": [\"a\"]}}", StandardCharsets.UTF_8))) {
            Http.Response r = http().get("/api/v1/studies/" + name + "/summary/trials?" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).as(bad).startsWith("application/problem+json");
        }
    }

    @Test
    void overviewCountsAndHistoryFollowTrialsAsTheyFinish() {
        String name = unique("ov");
        String s = "/api/v1/studies/" + name;
        http().put(s, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}, \"strategy\": {\"name\": \"random\", \"seed\": 3}}");
        // Three running trials; the middle one finishes first, so the snapshot must pick up trials below
        // numbers it has already seen.
        for (int i = 0; i < 3; i++) {
            http().post(s + "/trials/ask", null);
        }
        JsonNode o = http().get(s + "/summary/overview").body();
        assertThat(o.get("study").get("counts").get("RUNNING").asInt()).isEqualTo(3);
        assertThat(o.get("history").get("total").asInt()).isZero();
        http().post(s + "/trials/1/tell", "{\"value\": 0.5}");
        o = http().get(s + "/summary/overview").body();
        assertThat(o.get("history").get("numbers").toString()).isEqualTo("[1]");
        http().post(s + "/trials/0/tell", "{\"value\": 0.25}");
        http().post(s + "/trials/2/tell", "{\"state\": \"PRUNED\"}");
        http().post(s + "/trials/ask", null);
        o = http().get(s + "/summary/overview").body();
        JsonNode study = http().get(s).body();
        // The same study as GET /studies/{name}: counts from memory equal the counted ones.
        assertThat(o.get("study").get("counts")).isEqualTo(study.get("counts"));
        assertThat(o.get("study").get("best")).isEqualTo(study.get("best"));
        assertThat(o.get("study").get("space")).isEqualTo(study.get("space"));
        assertThat(o.get("study").get("counts").get("COMPLETED").asInt()).isEqualTo(2);
        assertThat(o.get("history").get("numbers").toString()).isEqualTo("[0,1]");
        assertThat(o.get("history").get("pruned").toString()).isEqualTo("[2]");
        assertThat(http().get(s + "/summary/overview?history=false").body().get("history").isNull()).isTrue();
        assertThat(http().get("/api/v1/studies/" + unique("none") + "/summary/overview").status()).isEqualTo(404);
    }

    @Test
    void theTablesCsvHoldsEveryTrialItsFilterMatches() {
        String name = seeded(400);
        String filter = URLEncoder.encode("{\"params\": {\"optimizer\": [\"sgd\"], \"lr\": [0.0001, 0.01]}, "
                + "\"values\": {\"loss\": [0, 1]}}", StandardCharsets.UTF_8);
        Http.Response csv = http().get("/api/v1/studies/" + name + "/summary/trials?state=COMPLETED&sort=value:loss&filter=" + filter,
                java.util.Map.of("Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("number,state,lr,layers,dropout,optimizer,momentum,loss,cost,worker,createdAt,startedAt,finishedAt,reason");
        List<Long> expected = jdbc.sql("""
                        select t.number from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'COMPLETED' and t.params ->> 'optimizer' = 'sgd'
                          and (t.params ->> 'lr')::float8 between 0.0001 and 0.01 and t.objective_values[1] between 0 and 1
                        order by t.objective_values[1], t.number""")
                .param("n", name).query(Long.class).list();
        assertThat(expected.size()).isGreaterThan(50);
        assertThat(lines.subList(1, lines.size()).stream().map(l -> Long.parseLong(l.split(",")[0])).toList())
                .isEqualTo(expected);
        Http.Response bad = http().get("/api/v1/studies/" + name + "/summary/trials?filter=%7Bnope", java.util.Map.of("Accept", "text/csv"));
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void studyListFiltersByNameAndState() {
        String prefix = unique("lst");
        http().put("/api/v1/studies/" + prefix + "-one", "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}");
        http().put("/api/v1/studies/" + prefix + "-two", "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}");
        http().post("/api/v1/studies/" + prefix + "-one/trials", "{\"params\": {\"x\": 0.5}, \"value\": 0.25}");
        http().patch("/api/v1/studies/" + prefix + "-two", "{\"state\": \"COMPLETED\"}");
        JsonNode all = http().get("/api/v1/summary/studies?name=" + prefix).body();
        assertThat(all.get("total").asInt()).isEqualTo(2);
        JsonNode one = all.get("studies").findValues("name").stream().anyMatch(n -> n.asString().endsWith("-one"))
                ? all.get("studies").get(all.get("studies").get(0).get("name").asString().endsWith("-one") ? 0 : 1) : null;
        assertThat(one).isNotNull();
        assertThat(one.get("best").asDouble()).isEqualTo(0.25);
        assertThat(one.get("counts").get("COMPLETED").asInt()).isEqualTo(1);
        JsonNode completed = http().get("/api/v1/summary/studies?state=COMPLETED&name=" + prefix).body();
        assertThat(completed.get("total").asInt()).isEqualTo(1);
        assertThat(completed.get("studies").get(0).get("name").asString()).isEqualTo(prefix + "-two");
    }

    @Test
    void pagesAndScriptsAreServedFromTheJar() {
        assertThat(http().get("/").text()).contains("/dashboard/list.js");
        assertThat(http().get("/studies/anything").text()).contains("/dashboard/study.js");
        Http.Response echarts = http().get("/webjars/echarts/dist/echarts.esm.min.js");
        assertThat(echarts.status()).isEqualTo(200);
        assertThat(echarts.contentType()).contains("javascript");
    }
}
