package dev.tellus.study;

import dev.tellus.ApiExamples;
import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The study examples of API.md, over HTTP against a real PostgreSQL. */
class StudyApiIT extends IntegrationTest {

    static final String API_EXAMPLE = ApiExamples.CREATE;


    static final String SMALL = """
            {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random", "seed": 1}}""";

    @Test
    void createIsIdempotentAndAConflictingDefinitionIs409() {
        Http http = http();
        String name = unique("create");
        Http.Response created = http.put("/api/v1/studies/" + name, API_EXAMPLE);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/studies/" + name);
        JsonNode study = created.body();
        assertThat(study.get("name").asString()).isEqualTo(name);
        assertThat(study.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(study.get("space").propertyNames()).containsExactly("lr", "layers", "dropout", "optimizer", "momentum");
        assertThat(study.at("/space/momentum/when/optimizer/0").asString()).isEqualTo("sgd");
        assertThat(study.at("/objectives/0/direction").asString()).isEqualTo("minimize");
        assertThat(study.at("/strategy/name").asString()).isEqualTo("tpe");
        assertThat(study.at("/strategy/seed").asLong()).isEqualTo(42);
        assertThat(study.get("maxTrials").asInt()).isEqualTo(200);
        assertThat(study.at("/metadata/owner").asString()).isEqualTo("team-vision");
        assertThat(study.at("/counts/RUNNING").asInt()).isZero();
        assertThat(study.get("best").isNull()).isTrue();
        assertThat(study.get("createdAt").asString()).endsWith("Z");

        // Every worker may PUT the same definition at start-up.
        Http.Response again = http.put("/api/v1/studies/" + name, API_EXAMPLE);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("createdAt")).isEqualTo(study.get("createdAt"));

        Http.Response conflict = http.put("/api/v1/studies/" + name, API_EXAMPLE.replace("\"maxTrials\": 200", "\"maxTrials\": 300"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.body().get("detail").asString()).contains("maxTrials");
    }

    @Test
    void defaultsAreFilledInAndMatchAnExplicitDefinition() {
        Http http = http();
        String name = unique("defaults");
        Http.Response created = http.put("/api/v1/studies/" + name, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode s = created.body();
        assertThat(s.at("/objectives/0/name").asString()).isEqualTo("value");
        assertThat(s.at("/objectives/0/direction").asString()).isEqualTo("minimize");
        assertThat(s.at("/strategy/name").asString()).as("the default strategy").isEqualTo("auto");
        assertThat(s.at("/pruner/name").asString()).isEqualTo("none");
        assertThat(s.get("leaseSeconds").asInt()).isEqualTo(600);
        assertThat(s.get("maxRetries").asInt()).isZero();
        assertThat(s.get("maxTrials").isNull()).isTrue();

        String explicit = """
                {"space": {"x": {"type": "float", "low": 0.0, "high": 1.0, "log": false}},
                 "objectives": [{"name": "value", "direction": "minimize"}],
                 "strategy": {"name": "%s"}, "pruner": {"name": "none"}, "leaseSeconds": 600, "maxRetries": 0}"""
                .formatted(dev.tellus.strategy.Strategies.DEFAULT);
        assertThat(http.put("/api/v1/studies/" + name, explicit).status()).isEqualTo(200);
    }

    /**
     * Studies created before the defaults changed stored {@code tpe} and {@code asha}'s or {@code hyperband}'s
     * {@code minResource} 1 (and {@code asha}'s {@code maxResource} null), exactly as they stored a body naming those
     * values; the same script re-run after an upgrade leaves them out and must still match (200), and keeps them.
     */
    @Test
    void aBodyLeavingOutAChangedDefaultMatchesAStudyCreatedUnderTheEarlierOne() {
        Http http = http();
        String space = "\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}";
        String old = unique("old-defaults");
        // The row an earlier version stored for {space, pruner: {name: asha}}: the defaults of then, filled in.
        assertThat(http.put("/api/v1/studies/" + old, "{" + space + """
                , "strategy": {"name": "tpe"}, "pruner": {"name": "asha", "options": {"minResource": 1, "maxResource": null}}}""")
                .status()).isEqualTo(201);

        Http.Response rerun = http.put("/api/v1/studies/" + old, "{" + space + ", \"pruner\": {\"name\": \"asha\"}}");
        assertThat(rerun.status()).isEqualTo(200);
        assertThat(rerun.body().at("/strategy/name").asString()).as("the study keeps its strategy").isEqualTo("tpe");
        assertThat(rerun.body().at("/pruner/options/minResource").asLong()).isEqualTo(1);
        assertThat(rerun.body().at("/pruner/options/maxResource").isNull()).isTrue();
        assertThat(http.put("/api/v1/studies/" + old, "{" + space + ", \"strategy\": {\"seed\": null}, \"pruner\": {\"name\": \"asha\", \"options\": {\"reductionFactor\": 3}}}").status())
                .as("a strategy object without a name leaves the name out too").isEqualTo(200);

        // What a body names must still match exactly.
        Http.Response named = http.put("/api/v1/studies/" + old, "{" + space + ", \"strategy\": {\"name\": \"auto\"}, \"pruner\": {\"name\": \"asha\"}}");
        assertThat(named.status()).isEqualTo(409);
        assertThat(named.body().get("detail").asString()).contains("strategy").doesNotContain("pruner");
        assertThat(http.put("/api/v1/studies/" + old, "{" + space + """
                , "pruner": {"name": "asha", "options": {"minResource": "auto"}}}""").status()).isEqualTo(409);
        assertThat(http.put("/api/v1/studies/" + old, "{" + space + "}").status()).as("another pruner").isEqualTo(409);

        // A value that was never a default is not matched by leaving the field out.
        String random = unique("named-random");
        assertThat(http.put("/api/v1/studies/" + random, "{" + space + ", \"strategy\": {\"name\": \"random\"}}").status()).isEqualTo(201);
        assertThat(http.put("/api/v1/studies/" + random, "{" + space + "}").status()).isEqualTo(409);

        // hyperband had no default maxResource; its minResource 1 was one.
        String hyperband = unique("old-hyperband");
        String withMax = "{" + space + ", \"strategy\": {\"name\": \"tpe\"}, \"pruner\": {\"name\": \"hyperband\", \"options\": {\"minResource\": 1, \"maxResource\": 27}}}";
        assertThat(http.put("/api/v1/studies/" + hyperband, withMax).status()).isEqualTo(201);
        assertThat(http.put("/api/v1/studies/" + hyperband, "{" + space + """
                , "pruner": {"name": "hyperband", "options": {"maxResource": 27}}}""").status()).isEqualTo(200);
        assertThat(http.put("/api/v1/studies/" + hyperband, "{" + space + """
                , "pruner": {"name": "hyperband", "options": {"maxResource": 81}}}""").status()).isEqualTo(409);

        // median judged from step 0 by default before its warm-up became auto.
        String median = unique("old-median");
        assertThat(http.put("/api/v1/studies/" + median, "{" + space + """
                , "strategy": {"name": "tpe"}, "pruner": {"name": "median", "options": {"warmupSteps": 0}}}""").status()).isEqualTo(201);
        Http.Response medianAgain = http.put("/api/v1/studies/" + median, "{" + space + ", \"pruner\": {\"name\": \"median\"}}");
        assertThat(medianAgain.status()).isEqualTo(200);
        assertThat(medianAgain.body().at("/pruner/options/warmupSteps").asLong()).isZero();

        // A study created now, under the current defaults, is matched by the same body as before.
        String fresh = unique("new-defaults");
        assertThat(http.put("/api/v1/studies/" + fresh, "{" + space + ", \"pruner\": {\"name\": \"asha\"}}").status()).isEqualTo(201);
        Http.Response freshAgain = http.put("/api/v1/studies/" + fresh, "{" + space + ", \"pruner\": {\"name\": \"asha\"}}");
        assertThat(freshAgain.status()).isEqualTo(200);
        assertThat(freshAgain.body().at("/strategy/name").asString()).isEqualTo("auto");
        assertThat(freshAgain.body().at("/pruner/options/minResource").asString()).isEqualTo("auto");
    }

    @Test
    void everyBadFieldIsNamedInProblemJson() {
        Http http = http();
        Http.Response bad = http.put("/api/v1/studies/" + unique("bad"), """
                {"space": {"lr": {"type": "float", "low": 0, "high": 0.1, "log": true},
                           "n": {"type": "int", "low": 5, "high": 1}},
                 "objectives": [{"name": "loss", "direction": "down"}],
                 "strategy": {"name": "annealing"}, "maxTrials": 0, "leaseSeconds": 0}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body().get("type").asString()).isNotBlank();
        assertThat(bad.body().get("title").asString()).isEqualTo("Invalid request");
        assertThat(bad.body().get("status").asInt()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        bad.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("space.lr.low", "space.n.high", "objectives[0].direction",
                "maxTrials", "leaseSeconds");
        // The strategy is checked once the space is valid.
        Http.Response strategy = http.put("/api/v1/studies/" + unique("bad"), SMALL.replace("random", "annealing"));
        assertThat(strategy.body().at("/errors/0/field").asString()).isEqualTo("strategy.name");
    }

    @Test
    void unknownFieldsTyposAndWrongTypesAre400WithTheirPath() {
        Http http = http();
        String name = unique("typo");
        assertThat(http.put("/api/v1/studies/" + name, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"hgih\": 1}}}")
                .body().at("/errors/0/field").asString()).isEqualTo("space.x.hgih");
        assertThat(http.put("/api/v1/studies/" + name, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": \"0\", \"high\": 1}}}")
                .body().at("/errors/0/field").asString()).isEqualTo("space.x.low");
        assertThat(http.put("/api/v1/studies/" + name, "{\"spaces\": {}}").status()).isEqualTo(400);
        assertThat(http.put("/api/v1/studies/" + name, "{\"space\": ").body().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(http.put("/api/v1/studies/" + name, SMALL.replace("\"seed\": 1", "\"seed\": 1.5")).status()).isEqualTo(400);
        assertThat(http.put("/api/v1/studies/bad%20name", SMALL).body().at("/errors/0/field").asString()).isEqualTo("name");
        assertThat(http.get("/api/v1/studies/" + name).status()).isEqualTo(404);
    }

    @Test
    void wrongMediaTypeIs415AndUnknownRoutesAre404AsProblemJson() {
        Http http = http();
        Http.Response wrongType = http.send("PUT", "/api/v1/studies/" + unique("mt"), "x=1", java.util.Map.of("Content-Type", "text/plain"));
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.contentType()).startsWith("application/problem+json");
        Http.Response missing = http.get("/api/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        Http.Response unknownStudy = http.get("/api/v1/studies/" + unique("absent"));
        assertThat(unknownStudy.status()).isEqualTo(404);
        assertThat(unknownStudy.body().get("type").asString()).endsWith("/study-not-found");
    }

    @Test
    void listPagesThroughStudiesByCursor() {
        Http http = http();
        String prefix = unique("list");
        for (int i = 0; i < 5; i++) {
            http.put("/api/v1/studies/" + prefix + "-" + i, SMALL);
        }
        var seen = new ArrayList<String>();
        String after = prefix;
        // Walk from just before our prefix; stop once past it.
        while (after != null) {
            JsonNode page = http.get("/api/v1/studies?limit=2&after=" + after).body();
            assertThat(page.get("studies").size()).isLessThanOrEqualTo(2);
            for (JsonNode s : page.get("studies")) {
                if (s.get("name").asString().startsWith(prefix)) {
                    seen.add(s.get("name").asString());
                }
            }
            after = page.get("next").isNull() || !page.get("next").asString().startsWith(prefix) ? null : page.get("next").asString();
        }
        assertThat(seen).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");
        assertThat(http.get("/api/v1/studies?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/studies?limit=abc").status()).isEqualTo(400);
    }

    @Test
    void patchChangesStateAndDeleteRemovesEverything() {
        Http http = http();
        String name = unique("lifecycle");
        http.put("/api/v1/studies/" + name, SMALL);
        http.post("/api/v1/studies/" + name + "/trials/ask", null);
        assertThat(http.patch("/api/v1/studies/" + name, "{\"state\": \"PAUSED\"}").body().get("state").asString()).isEqualTo("PAUSED");
        assertThat(http.patch("/api/v1/studies/" + name, "{\"state\": \"SLEEPING\"}").status()).isEqualTo(400);
        assertThat(http.patch("/api/v1/studies/" + name, "{}").status()).isEqualTo(400);
        assertThat(http.patch("/api/v1/studies/" + name, "{\"state\": \"ACTIVE\"}").body().get("state").asString()).isEqualTo("ACTIVE");
        // A completed study stays completed: the state machine on the entity refuses reopening it.
        assertThat(http.patch("/api/v1/studies/" + name, "{\"state\": \"COMPLETED\"}").body().get("state").asString()).isEqualTo("COMPLETED");
        assertThat(http.patch("/api/v1/studies/" + name, "{\"state\": \"COMPLETED\"}").status()).isEqualTo(200);
        Http.Response reopen = http.patch("/api/v1/studies/" + name, "{\"state\": \"ACTIVE\"}");
        assertThat(reopen.status()).isEqualTo(409);
        assertThat(reopen.body().get("type").asString()).endsWith("/illegal-study-transition");
        assertThat(http.patch("/api/v1/studies/" + name, "{\"state\": \"PAUSED\"}").status()).isEqualTo(409);
        assertThat(http.get("/api/v1/studies/" + name).body().get("state").asString()).isEqualTo("COMPLETED");
        assertThat(http.delete("/api/v1/studies/" + name).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/studies/" + name).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/studies/" + name + "/trials/0").status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/studies/" + name).status()).isEqualTo(404);
        // The name is free again, for a different definition.
        assertThat(http.put("/api/v1/studies/" + name, SMALL.replace("\"seed\": 1", "\"seed\": 2")).status()).isEqualTo(201);
    }

    @Test
    void tenClientsCreatingOneStudyAtOnceGetOneStudy() throws Exception {
        Http http = http();
        String name = unique("race");
        var pool = Executors.newFixedThreadPool(10);
        try {
            var calls = new ArrayList<Callable<Integer>>();
            for (int i = 0; i < 10; i++) {
                calls.add(() -> http.put("/api/v1/studies/" + name, SMALL).status());
            }
            var statuses = new ArrayList<Integer>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 201);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        } finally {
            pool.shutdown();
        }
    }
}
