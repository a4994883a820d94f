package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import dev.tellus.space.ParameterSpec;
import dev.tellus.space.SearchSpace;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pruners over HTTP: decisions end to end, direction, options, repeated steps, PRUNED trials for strategies. */
class PruningApiIT extends IntegrationTest {

    static final String SPACE = "\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}";

    @Autowired
    JdbcClient jdbc;

    String study(String rest) {
        String path = "/api/v1/studies/" + unique("prune");
        Http.Response r = http().put(path, "{" + SPACE + ", \"strategy\": {\"name\": \"random\", \"seed\": 3}, " + rest + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return path;
    }

    long ask(String study) {
        Http.Response r = http().post(study + "/trials/ask", null);
        assertThat(r.status()).isEqualTo(200);
        return r.body().at("/trials/0/number").asLong();
    }

    JsonNode report(String study, long trial, long step, double value) {
        Http.Response r = http().post(study + "/trials/" + trial + "/report", "{\"step\": " + step + ", \"value\": " + value + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    @Test
    void medianStopsATrialWorseThanTheOthersAtTheSameStepInEitherDirection() {
        for (String direction : List.of("minimize", "maximize")) {
            double sign = direction.equals("minimize") ? 1 : -1;
            String study = study("\"objectives\": [{\"name\": \"loss\", \"direction\": \"" + direction + "\"}], "
                    + "\"pruner\": {\"name\": \"median\", \"options\": {\"startupTrials\": 3, \"warmupSteps\": 0}}");
            for (int t = 0; t < 3; t++) {
                long n = ask(study);
                for (int step = 1; step <= 3; step++) {
                    assertThat(report(study, n, step, sign * (t + 1.0 / step)).get("prune").asBoolean()).isFalse();
                }
            }
            long bad = ask(study);
            long good = ask(study);
            assertThat(report(study, good, 1, sign * 0.5).get("prune").asBoolean()).isFalse();
            assertThat(report(study, bad, 1, sign * 10).get("prune").asBoolean()).as(direction).isTrue();
            // The good trial's best so far is counted among the peers now and stays ahead of the median.
            JsonNode stillGood = report(study, good, 2, sign * 0.4);
            assertThat(stillGood.get("prune").asBoolean()).isFalse();
            assertThat(stillGood.has("reason")).isFalse();
        }
    }

    @Test
    void ashaJudgesOnlyAtRungsAndKeepsTheTopOneOverEta() {
        String study = study("\"pruner\": {\"name\": \"asha\", \"options\": {\"minResource\": 2, \"reductionFactor\": 2, \"maxResource\": 64}}");
        long first = ask(study);
        long second = ask(study);
        long third = ask(study);
        report(study, first, 2, 1.0);
        assertThat(report(study, second, 1, 50).get("prune").asBoolean()).as("step 1 is no rung").isFalse();
        assertThat(report(study, second, 2, 0.5).get("prune").asBoolean()).as("new best at the rung").isFalse();
        assertThat(report(study, third, 2, 0.7).get("prune").asBoolean()).as("2nd of 3, keep 1").isTrue();
        assertThat(report(study, third, 3, 9.0).get("prune").asBoolean()).as("between rungs").isFalse();
        // A retried report gets the decision again, and a different value for a recorded step still conflicts.
        assertThat(report(study, third, 2, 0.7).get("prune").asBoolean()).isTrue();
        assertThat(http().post(study + "/trials/" + third + "/report", "{\"step\": 2, \"value\": 0.1}").status()).isEqualTo(409);
    }

    @Test
    void optionsAreValidatedByFieldAndStoredWithTheirDefaults() {
        String name = unique("prune");
        Http http = http();
        Http.Response bad = http.put("/api/v1/studies/" + name, "{" + SPACE
                + ", \"pruner\": {\"name\": \"hyperband\", \"options\": {\"reductionFactor\": 1, \"grace\": 2}}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors")).extracting(e -> e.get("field").asString()).containsExactlyInAnyOrder(
                "pruner.options.reductionFactor", "pruner.options.grace");
        assertThat(http.put("/api/v1/studies/" + name, "{" + SPACE + ", \"pruner\": {\"name\": \"early\"}}").status()).isEqualTo(400);

        String body = "{" + SPACE + ", \"pruner\": {\"name\": \"hyperband\", \"options\": {\"maxResource\": 81}}}";
        Http.Response created = http.put("/api/v1/studies/" + name, body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().at("/pruner/name").asString()).isEqualTo("hyperband");
        assertThat(created.body().at("/pruner/options").propertyNames())
                .containsExactly("minResource", "reductionFactor", "maxResource");
        assertThat(created.body().at("/pruner/options/reductionFactor").asInt()).isEqualTo(3);
        assertThat(http.put("/api/v1/studies/" + name, body).status()).as("same definition, defaults left out").isEqualTo(200);
        assertThat(http.put("/api/v1/studies/" + name, "{" + SPACE
                + ", \"pruner\": {\"name\": \"hyperband\", \"options\": {\"maxResource\": 81, \"minResource\": \"auto\", \"reductionFactor\": 3}}}")
                .status()).as("same definition, defaults spelled out").isEqualTo(200);
        assertThat(http.put("/api/v1/studies/" + name, "{" + SPACE
                + ", \"pruner\": {\"name\": \"hyperband\", \"options\": {\"maxResource\": 27}}}").status()).isEqualTo(409);
    }

    @Test
    void autoResourcesWaitForTheFirstCompletedTrialAndComeFromItsSteps() {
        String study = study("\"pruner\": {\"name\": \"asha\"}");
        assertThat(http().get(study).body().at("/pruner/options/minResource").asString()).isEqualTo("auto");
        assertThat(http().get(study).body().at("/pruner/options/maxResource").asString()).isEqualTo("auto");
        long first = ask(study);
        long second = ask(study);
        for (int step = 1; step <= 18; step++) {
            report(study, first, step, 1.0 / step);
        }
        assertThat(report(study, second, 2, 100).get("prune").asBoolean()).as("no trial completed: no rungs yet").isFalse();
        assertThat(http().post(study + "/trials/" + first + "/tell", "{\"value\": 0.05}").status()).isEqualTo(200);
        // The first completed trial ran 18 steps: min ⌊18/9⌋ = 2, rungs at 2 and 6.
        long third = ask(study);
        assertThat(report(study, third, 1, 100).get("prune").asBoolean()).as("step 1 is no rung").isFalse();
        assertThat(report(study, third, 2, 100).get("prune").asBoolean()).as("worst of three at rung 2").isTrue();
        assertThat(report(study, second, 6, 0.01).get("prune").asBoolean()).as("best at rung 6").isFalse();
    }

    @Test
    void multiObjectiveReportsAreStoredButNotPrunedWithAReason() {
        String study = study("\"objectives\": [{\"name\": \"loss\"}, {\"name\": \"ms\"}], \"pruner\": {\"name\": \"median\", "
                + "\"options\": {\"startupTrials\": 0}}");
        long a = ask(study);
        long b = ask(study);
        report(study, a, 1, 0.1);
        JsonNode answer = report(study, b, 1, 100);
        assertThat(answer.get("prune").asBoolean()).isFalse();
        assertThat(answer.get("reason").asString()).isEqualTo("multi-objective studies are not pruned yet");
        assertThat(http().get(study + "/trials/" + b).body().at("/intermediate/0/value").asDouble()).isEqualTo(100);

        // Told PRUNED anyway, it is observed without values: one intermediate value cannot stand for two objectives.
        http().post(study + "/trials/" + b + "/tell", "{\"state\": \"PRUNED\"}");
        List<Observation> finished = new DatabaseHistory(jdbc, json, space(), studyId(study), 2, new FinishedTrials()).finished();
        assertThat(finished).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(TrialStatus.PRUNED);
            assertThat(o.values()).isNull();
        });
    }

    long studyId(String study) {
        String name = study.substring(study.lastIndexOf('/') + 1);
        return jdbc.sql("select id from study where name = :name").param("name", name).query(Long.class).single();
    }

    SearchSpace space() {
        return SearchSpace.parse(Map.of("x", json.readValue("{\"type\": \"float\", \"low\": 0, \"high\": 1}", ParameterSpec.class)));
    }

    @Test
    void strategiesSeeAPrunedTrialWithItsLastIntermediateValue() {
        String study = study("\"pruner\": {\"name\": \"median\"}");
        long pruned = ask(study);
        long bare = ask(study);
        long done = ask(study);
        report(study, pruned, 1, 0.9);
        report(study, pruned, 4, 0.6);
        report(study, pruned, 2, 0.8);
        http().post(study + "/trials/" + pruned + "/tell", "{\"state\": \"PRUNED\"}");
        http().post(study + "/trials/" + bare + "/tell", "{\"state\": \"PRUNED\"}");
        http().post(study + "/trials/" + done + "/tell", "{\"value\": 0.3}");

        List<Observation> finished = new DatabaseHistory(jdbc, json, space(), studyId(study), 1, new FinishedTrials()).finished();
        assertThat(finished).extracting(Observation::status)
                .containsExactly(TrialStatus.PRUNED, TrialStatus.PRUNED, TrialStatus.COMPLETED);
        assertThat(finished.get(0).values()).containsExactly(0.6);
        assertThat(finished.get(1).values()).isNull();
        assertThat(finished.get(2).values()).containsExactly(0.3);
    }

    @Test
    void intermediateValuesExportAsLongFormatCsv() {
        String study = study("\"pruner\": {\"name\": \"none\"}");
        long a = ask(study);
        long b = ask(study);
        report(study, a, 1, 0.5);
        report(study, b, 1, 0.25);
        report(study, a, 2, 0.125);
        Http.Response csv = http().get(study + "/trials/intermediate", Map.of("Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.text().split("\r\n")).containsExactly("number,step,value",
                a + ",1,0.5", a + ",2,0.125", b + ",1,0.25");
    }
}
