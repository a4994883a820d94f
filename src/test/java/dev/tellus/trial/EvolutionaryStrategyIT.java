package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CMA-ES and the genetic algorithm over HTTP on PostgreSQL: generations whose members go to concurrent
 * workers and whose results arrive out of order, read back through the tag index, and seeded determinism.
 */
class EvolutionaryStrategyIT extends IntegrationTest {

    static final String SPACE = """
            "space": {"x0": {"type": "float", "low": -5, "high": 5}, "x1": {"type": "float", "low": -5, "high": 5},
                      "x2": {"type": "float", "low": -5, "high": 5}, "n": {"type": "int", "low": 1, "high": 20}}""";

    static double sphere(JsonNode p) {
        double s = Math.pow(p.get("n").asInt() - 7, 2);
        for (String x : List.of("x0", "x1", "x2")) {
            s += Math.pow(p.get(x).asDouble() - 1, 2);
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cmaes", "genetic"})
    void fourConcurrentWorkersDriveGenerationsToBetterValues(String strategy) throws Exception {
        Http http = http();
        String study = "/api/v1/studies/" + unique(strategy);
        assertThat(http.put(study, "{" + SPACE + ", \"strategy\": {\"name\": \"" + strategy + "\", \"seed\": 5}, \"maxTrials\": 120}")
                .status()).isEqualTo(201);
        var values = new ConcurrentLinkedQueue<double[]>();
        var errors = new ConcurrentLinkedQueue<String>();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    while (true) {
                        Http.Response r = http.post(study + "/trials/ask", "{\"worker\": \"w" + worker + "\"}");
                        if (r.status() != 200) {
                            errors.add(r.status() + " " + r.text());
                            return null;
                        }
                        if (r.body().get("trials").isEmpty()) {
                            if (r.body().get("done").asBoolean()) {
                                return null;
                            }
                            Thread.sleep(20);
                            continue;
                        }
                        JsonNode trial = r.body().at("/trials/0");
                        // Uneven "training" times make results arrive out of order.
                        Thread.sleep((trial.get("number").asLong() * 7 + worker * 3) % 15);
                        double v = sphere(trial.get("params"));
                        values.add(new double[] {trial.get("number").asLong(), v});
                        Http.Response told = http.post(study + "/trials/" + trial.get("number").asLong() + "/tell", "{\"value\": " + v + "}");
                        if (told.status() != 200) {
                            errors.add("tell " + told.status() + " " + told.text());
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(errors).isEmpty();
        assertThat(values).hasSize(120);
        double firstTwenty = values.stream().filter(v -> v[0] < 20).mapToDouble(v -> v[1]).min().orElseThrow();
        double best = http.get(study + "/best").body().at("/trials/0/values/0").asDouble();
        assertThat(best).isLessThan(firstTwenty);
        assertThat(http.get(study).body().get("state").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void aSeededCmaesStudyFedTheSameResultsProposesTheSameSequence() {
        Http http = http();
        String a = "/api/v1/studies/" + unique("cma");
        String b = "/api/v1/studies/" + unique("cma");
        for (String s : List.of(a, b)) {
            http.put(s, "{" + SPACE + ", \"strategy\": {\"name\": \"cmaes\", \"seed\": 9}}");
        }
        // Study a asks one at a time; study b asks in pairs: the same trial numbers get the same params.
        List<JsonNode> one = new ArrayList<>();
        List<JsonNode> two = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            JsonNode t = http.post(a + "/trials/ask", null).body().at("/trials/0");
            one.add(t.get("params"));
            http.post(a + "/trials/" + t.get("number").asLong() + "/tell", "{\"value\": " + sphere(t.get("params")) + "}");
        }
        while (two.size() < 24) {
            JsonNode trials = http.post(b + "/trials/ask", "{\"count\": 1}").body().get("trials");
            for (JsonNode t : trials) {
                two.add(t.get("params"));
                http.post(b + "/trials/" + t.get("number").asLong() + "/tell", "{\"value\": " + sphere(t.get("params")) + "}");
            }
        }
        assertThat(two).isEqualTo(one);
    }
}
