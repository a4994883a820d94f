package dev.tellus.analysis;

import dev.tellus.space.ParameterSpec;
import dev.tellus.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Importances on functions whose variance decomposition is known in closed form. */
class ParameterImportanceTest {

    private static final int TRIALS = 1000;

    private static SearchSpace space(String json) {
        var mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        Map<String, ParameterSpec> specs = mapper.readValue(json,
                new tools.jackson.core.type.TypeReference<LinkedHashMap<String, ParameterSpec>>() {
                });
        return SearchSpace.parse(specs);
    }

    private static List<ParameterImportance.Sample> sample(SearchSpace space, ToDoubleFunction<Map<String, Object>> f,
                                                           long seed) {
        var random = new SplittableRandom(seed);
        var out = new ArrayList<ParameterImportance.Sample>();
        for (int i = 0; i < TRIALS; i++) {
            var all = new LinkedHashMap<String, Object>();
            space.parameters().forEach(p -> all.put(p.name(), p.sample(random)));
            Map<String, Object> params = space.activeOnly(all);
            out.add(new ParameterImportance.Sample(params, f.applyAsDouble(params)));
        }
        return out;
    }

    private static double d(Map<String, Object> p, String name) {
        return ((Number) p.get(name)).doubleValue();
    }

    @Test
    void linearFunctionSharesFollowTheSquaredCoefficients() {
        // f = 10 x1 + x2 + 0 x3 on the unit cube: Var = (100 + 1 + 0) / 12, so the shares are 100/101, 1/101, 0.
        SearchSpace space = space("""
                {"x1": {"type": "float", "low": 0, "high": 1}, "x2": {"type": "float", "low": 0, "high": 1},
                 "x3": {"type": "float", "low": 0, "high": 1}}""");
        var estimate = ParameterImportance.estimate(space, sample(space, p -> 10 * d(p, "x1") + d(p, "x2"), 1));
        Map<String, Double> shares = estimate.importance();
        assertThat(estimate.trials()).isEqualTo(TRIALS);
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(shares.get("x1")).isCloseTo(100.0 / 101, within(0.02));
        assertThat(shares.get("x2")).isCloseTo(1.0 / 101, within(0.01));
        assertThat(shares.get("x3")).isLessThan(0.005);
        assertThat(shares.get("x2")).isGreaterThan(shares.get("x3"));
    }

    @Test
    void additiveFunctionOfMixedTypes() {
        // f = 4 sin(2π u) + c where u is uniform: Var(4 sin) = 8; a categorical adds 0 / 2 / 4 (Var = 8/3);
        // an int parameter that does nothing gets nothing. Shares: 8 / (8 + 8/3) = 0.75 and 0.25.
        SearchSpace space = space("""
                {"u": {"type": "float", "low": 0, "high": 1},
                 "c": {"type": "categorical", "choices": ["a", "b", "c"]},
                 "k": {"type": "int", "low": 1, "high": 10}}""");
        var estimate = ParameterImportance.estimate(space, sample(space,
                p -> 4 * Math.sin(2 * Math.PI * d(p, "u")) + 2 * List.of("a", "b", "c").indexOf(p.get("c")), 2));
        assertThat(estimate.importance().get("u")).isCloseTo(0.75, within(0.04));
        assertThat(estimate.importance().get("c")).isCloseTo(0.25, within(0.04));
        assertThat(estimate.importance().get("k")).isLessThan(0.01);
    }

    @Test
    void inactiveIsItsOwnLevel() {
        // momentum exists only with sgd; the objective is 5 when it is inactive (adam) and momentum's value
        // otherwise. Switching it on and off is what matters: momentum gets a share, the unused float none.
        SearchSpace space = space("""
                {"optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
                 "momentum": {"type": "float", "low": 0, "high": 1, "when": {"optimizer": ["sgd"]}},
                 "unused": {"type": "float", "low": 0, "high": 1}}""");
        var estimate = ParameterImportance.estimate(space, sample(space,
                p -> p.containsKey("momentum") ? d(p, "momentum") : 5, 3));
        Map<String, Double> shares = estimate.importance();
        assertThat(shares.get("momentum")).isGreaterThan(0.2);
        assertThat(shares.get("optimizer")).isGreaterThan(0.2);
        assertThat(shares.get("unused")).isLessThan(0.01);
    }

    @Test
    void sameTrialsSameAnswer() {
        SearchSpace space = space("""
                {"a": {"type": "float", "low": 1e-4, "high": 1, "log": true}, "b": {"type": "int", "low": 0, "high": 5}}""");
        var trials = sample(space, p -> Math.log10(d(p, "a")) * d(p, "b"), 4);
        assertThat(ParameterImportance.estimate(space, trials)).isEqualTo(ParameterImportance.estimate(space, trials));
    }

    @Test
    void constantObjectiveHasNoImportance() {
        SearchSpace space = space("""
                {"a": {"type": "float", "low": 0, "high": 1}, "b": {"type": "float", "low": 0, "high": 1}}""");
        var estimate = ParameterImportance.estimate(space, sample(space, p -> 3.0, 5));
        assertThat(estimate.importance()).containsEntry("a", 0.0).containsEntry("b", 0.0);
    }
}
