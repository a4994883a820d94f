package dev.tellus.trial;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gp} with two objectives over HTTP on PostgreSQL: the reference point the definition declares reaches the
 * strategy (through the ask), in the objectives' own directions, and bounds where log EHVI puts its trials.
 */
class GpReferenceIT extends IntegrationTest {

    /**
     * f1 = x² (minimised) and score = −(x − 2)² (maximised): the front is x in [0, 2]. Against the reference
     * (f1 1, score −9) only x in [0, 1) adds hypervolume; without a reference the trials spread over the whole front.
     */
    private static final String DEFINITION = """
            {"space": {"x": {"type": "float", "low": -5, "high": 5}, "y": {"type": "float", "low": -5, "high": 5}},
             "objectives": [{"name": "f1"%s}, {"name": "score", "direction": "maximize"%s}],
             "strategy": {"name": "gp", "seed": 3}}""";

    /** The x of the trials 16 to 35 of a study driven one trial at a time. */
    private List<Double> lateTrials(boolean withReference) {
        Http http = http();
        String name = unique("gp-reference");
        String study = "/api/v1/studies/" + name;
        String definition = withReference ? DEFINITION.formatted(", \"reference\": 1", ", \"reference\": -9")
                : DEFINITION.formatted("", "");
        assertThat(http.put(study, definition).status()).isEqualTo(201);
        var xs = new ArrayList<Double>();
        for (int i = 0; i < 35; i++) {
            JsonNode t = http.post(study + "/trials/ask", "{}").body().get("trials").get(0);
            double x = t.get("params").get("x").asDouble();
            String result = "{\"values\": [" + x * x + ", " + -(x - 2) * (x - 2) + "]}";
            assertThat(http.post(study + "/trials/" + t.get("number").asLong() + "/tell", result).status()).isEqualTo(200);
            if (i >= 15) {
                xs.add(x);
            }
        }
        return xs;
    }

    @Test
    void theDeclaredReferencePointBoundsTheRegionEhviFills() {
        long inside = lateTrials(true).stream().filter(x -> x >= -0.05 && x < 1).count();
        long insideWithout = lateTrials(false).stream().filter(x -> x >= -0.05 && x < 1).count();
        assertThat(inside).isGreaterThanOrEqualTo(17);
        assertThat(insideWithout).isLessThanOrEqualTo(14);
    }
}
