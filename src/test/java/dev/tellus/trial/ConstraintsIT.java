package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Constraints and several objectives over HTTP: validation, storage, CSV, the feasible front and its hypervolume. */
class ConstraintsIT extends IntegrationTest {

    private static final String SPACE = "\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}";
    private static final String TWO_OBJECTIVES = """
            "objectives": [{"name": "loss", "direction": "minimize", "reference": 10},
                           {"name": "accuracy", "direction": "maximize", "reference": 0}],
            "constraints": [{"name": "memoryGb"}, {"name": "latencyMs"}]""";

    private String study(String body) {
        String path = "/api/v1/studies/" + unique("constrained");
        Http.Response r = http().put(path, "{" + SPACE + ", \"strategy\": {\"name\": \"random\", \"seed\": 3}, " + body + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return path;
    }

    private long ask(String study) {
        return http().post(study + "/trials/ask", null).body().at("/trials/0/number").asLong();
    }

    private static String field(Http.Response r) {
        return r.body().at("/errors/0/field").asString();
    }

    @Test
    void definitionsDeclareConstraintsAndReferencesAndBadOnesAreNamed() {
        Http http = http();
        String study = study(TWO_OBJECTIVES);
        JsonNode s = http.get(study).body();
        assertThat(s.at("/constraints/1/name").asString()).isEqualTo("latencyMs");
        assertThat(s.at("/objectives/1/reference").asDouble()).isZero();
        assertThat(s.get("hypervolume").asDouble()).isZero();
        // The same definition again is the same study; without constraints it is another one.
        String body = "{" + SPACE + ", \"strategy\": {\"name\": \"random\", \"seed\": 3}, " + TWO_OBJECTIVES + "}";
        assertThat(http.put(study, body).status()).isEqualTo(200);
        assertThat(http.put(study, "{" + SPACE + ", \"strategy\": {\"name\": \"random\", \"seed\": 3}}").status()).isEqualTo(409);

        String other = "/api/v1/studies/" + unique("bad");
        Http.Response dup = http.put(other, "{" + SPACE + ", \"constraints\": [{\"name\": \"x\"}]}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(field(dup)).isEqualTo("constraints[0].name");
        assertThat(field(http.put(other, "{" + SPACE + ", \"constraints\": [{\"name\": \"no spaces\"}]}"))).isEqualTo("constraints[0].name");
        assertThat(field(http.put(other, "{" + SPACE + ", \"constraints\": [{\"nam\": \"typo\"}]}"))).isNotNull();
        Http.Response partial = http.put(other, "{" + SPACE + ", \"objectives\": [{\"name\": \"a\", \"reference\": 1}, {\"name\": \"b\"}]}");
        assertThat(partial.status()).isEqualTo(400);
        assertThat(field(partial)).isEqualTo("objectives");
        // CMA-ES and genetic rank by one loss: a new study with several objectives is refused, naming the others.
        Http.Response single = http.put(other, "{" + SPACE + ", \"strategy\": {\"name\": \"cmaes\"}, "
                + "\"objectives\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}");
        assertThat(single.status()).isEqualTo(400);
        assertThat(single.headers().firstValue("content-type").orElse("")).contains("application/problem+json");
        assertThat(field(single)).isEqualTo("strategy.name");
        assertThat(single.body().at("/errors/0/message").asString())
                .contains("cmaes optimises one objective").contains("nsga2").contains("tpe").doesNotContain("genetic");
        assertThat(http.put(other, "{" + SPACE + ", \"strategy\": {\"name\": \"genetic\"}, "
                + "\"objectives\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}").status()).isEqualTo(400);
        // A study without constraints shows an empty list and no hypervolume.
        JsonNode plain = http.get(study("\"objectives\": [{\"name\": \"a\"}]")).body();
        assertThat(plain.get("constraints").isEmpty()).isTrue();
        assertThat(plain.get("hypervolume").isNull()).isTrue();
    }

    @Test
    void tellsCarryOneFiniteValuePerConstraintAndFailuresNeedNone() {
        Http http = http();
        String study = study(TWO_OBJECTIVES);
        long n = ask(study);
        String tell = study + "/trials/" + n + "/tell";
        assertThat(field(http.post(tell, "{\"values\": [1, 0.9]}"))).isEqualTo("constraints");
        assertThat(field(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [0.1]}"))).isEqualTo("constraints");
        assertThat(field(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [0.1, 2, 3]}"))).isEqualTo("constraints");
        assertThat(field(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [0.1, null]}"))).isEqualTo("constraints[1]");
        assertThat(field(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [NaN, 1]}"))).isEqualTo("constraints[0]");
        assertThat(field(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [0, \"1\"]}"))).isNotNull();
        assertThat(field(http.post(tell, "{\"state\": \"FAILED\", \"constraints\": [0, 1]}"))).isEqualTo("constraints");
        // Nothing above changed the trial.
        assertThat(http.get(study + "/trials/" + n).body().get("state").asString()).isEqualTo("RUNNING");

        Http.Response told = http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [-0.5, 2]}");
        assertThat(told.status()).isEqualTo(200);
        assertThat(told.body().at("/constraints/1").asDouble()).isEqualTo(2.0);
        assertThat(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [-0.5, 2]}").status()).isEqualTo(200);
        assertThat(http.post(tell, "{\"values\": [1, 0.9], \"constraints\": [-0.5, 3]}").status()).isEqualTo(409);

        long failed = ask(study);
        Http.Response f = http.post(study + "/trials/" + failed + "/tell", "{\"state\": \"FAILED\", \"reason\": \"oom\"}");
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.body().get("constraints").isNull()).isTrue();

        String unconstrained = study("\"objectives\": [{\"name\": \"a\"}]");
        long m = ask(unconstrained);
        assertThat(field(http.post(unconstrained + "/trials/" + m + "/tell", "{\"value\": 1, \"constraints\": [0]}")))
                .isEqualTo("constraints");
    }

    @Test
    void bestIsTheFeasibleFrontOrTheLeastViolatingMarkedAndTheSummaryGivesItsHypervolume() {
        Http http = http();
        String study = study(TWO_OBJECTIVES);
        // Infeasible only so far: the least violating (sum of positive parts 0.5) is shown, marked.
        told(study, 1, 0.9, 0.5, -3);
        told(study, 0.5, 0.95, 0.3, 0.4);
        JsonNode best = http.get(study + "/best").body();
        assertThat(best.get("feasible").asBoolean()).isFalse();
        assertThat(best.get("trials")).extracting(t -> t.get("number").asLong()).containsExactly(0L);
        assertThat(http.get(study).body().get("hypervolume").asDouble()).isZero();

        // Feasible: 2 (loss 2, acc 0.8) and 3 (loss 4, acc 0.9) trade off; 4 is dominated by 2; 5 is better but infeasible.
        told(study, 2, 0.8, 0, -1);
        told(study, 4, 0.9, -1, -1);
        told(study, 5, 0.7, -1, 0);
        told(study, 0.1, 0.99, 0.01, -1);
        best = http.get(study + "/best").body();
        assertThat(best.get("feasible").asBoolean()).isTrue();
        assertThat(best.get("trials")).extracting(t -> t.get("number").asLong()).containsExactly(2L, 3L);
        // Against the reference (loss 10, accuracy 0): (10 - 2) x 0.8 + (10 - 4) x (0.9 - 0.8) = 7.
        assertThat(http.get(study).body().get("hypervolume").asDouble()).isCloseTo(7.0, within(1e-9));

        Http.Response csv = http.get(study + "/trials", Map.of("Accept", "text/csv"));
        String[] lines = csv.text().split("\r\n");
        assertThat(lines[0]).startsWith("number,state,x,loss,accuracy,memoryGb,latencyMs,");
        assertThat(lines[1]).contains(",1.0,0.9,0.5,-3.0,");
    }

    @Test
    void aSingleObjectiveStudyWithConstraintsBestIsTheBestFeasibleAndImportsCarryConstraints() {
        Http http = http();
        String study = study("\"constraints\": [{\"name\": \"c\"}]");
        Http.Response imported = http.post(study + "/trials", "{\"params\": {\"x\": 0.5}, \"value\": 0.1, \"constraints\": [1]}");
        assertThat(imported.status()).as(imported.text()).isEqualTo(201);
        assertThat(imported.body().at("/constraints/0").asDouble()).isEqualTo(1.0);
        assertThat(field(http.post(study + "/trials", "{\"params\": {\"x\": 0.5}, \"value\": 0.1}"))).isEqualTo("constraints");
        assertThat(field(http.post(study + "/trials", "{\"params\": {\"x\": 0.5}, \"constraints\": [1]}"))).isEqualTo("constraints");
        assertThat(http.post(study + "/trials", "{\"params\": {\"x\": 0.25}, \"value\": 0.7, \"constraints\": [-1]}").status()).isEqualTo(201);
        assertThat(http.post(study + "/trials", "{\"params\": {\"x\": 0.75}, \"value\": 0.9, \"constraints\": [0]}").status()).isEqualTo(201);
        JsonNode best = http.get(study + "/best").body();
        assertThat(best.get("feasible").asBoolean()).isTrue();
        assertThat(best.get("trials")).extracting(t -> t.get("number").asLong()).containsExactly(1L);
        assertThat(http.get(study).body().at("/best/number").asLong()).isEqualTo(1L);
    }

    private void told(String study, double loss, double accuracy, double memory, double latency) {
        long n = ask(study);
        Http.Response r = http().post(study + "/trials/" + n + "/tell",
                "{\"values\": [" + loss + ", " + accuracy + "], \"constraints\": [" + memory + ", " + latency + "]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
}
