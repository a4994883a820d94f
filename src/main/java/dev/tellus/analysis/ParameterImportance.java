package dev.tellus.analysis;

import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each parameter's share of the objective's variance: functional ANOVA over a random forest fitted to the
 * trials (the method of Hutter et al. 2014 that Optuna's {@code FanovaImportanceEvaluator} also uses). Parameters
 * are placed in the unit cube by their space encoding (log parameters in log space, choices as equal bins). A
 * conditional parameter gets one more level, "inactive", that takes the share of the axis its trials have:
 * a parameter that matters because switching it on matters is counted, not dropped.
 * <p>
 * Deterministic: the same trials in the same order give the same answer. The caller bounds the cost by passing
 * at most {@link #MAX_TRIALS} trials.
 */
public final class ParameterImportance {

    /** The most trials one estimate fits; more are sampled down by the caller. */
    public static final int MAX_TRIALS = 2000;
    public static final int TREES = 32;
    public static final String METHOD = "fanova-random-forest";
    private static final long SEED = 0x7E11_05L;

    private ParameterImportance() {
    }

    /** One finished trial: its (active) parameters and the objective value. */
    public record Sample(Map<String, Object> params, double value) {
    }

    /** The shares by parameter name, in space order, summing to 1 (all zero when the objective never varies). */
    public record Estimate(String method, int trials, Map<String, Double> importance) {
    }

    public static Estimate estimate(SearchSpace space, List<Sample> samples) {
        List<Parameter> parameters = space.parameters();
        int n = samples.size();
        int d = parameters.size();
        var out = new LinkedHashMap<String, Double>();
        if (n < 2 || d == 0) {
            parameters.forEach(p -> out.put(p.name(), d == 1 && n >= 2 ? 1.0 : 0.0));
            return new Estimate(METHOD, n, out);
        }
        double[][] x = new double[n][d];
        double[] y = new double[n];
        double[] boundaries = new double[d];
        for (int f = 0; f < d; f++) {
            Parameter p = parameters.get(f);
            boundaries[f] = Double.NaN;
            double activeShare = 1;
            if (!p.when().isAlways()) {
                int active = 0;
                for (Sample s : samples) {
                    if (s.params().containsKey(p.name())) {
                        active++;
                    }
                }
                // Inactive is its own level: the top of the axis, as wide as the share of trials that have it.
                activeShare = Math.min(0.95, Math.max(0.05, (double) active / n));
                boundaries[f] = activeShare;
            }
            for (int i = 0; i < n; i++) {
                Object value = samples.get(i).params().get(p.name());
                x[i][f] = value == null ? (activeShare + 1) / 2 : activeShare * unit(p, value);
            }
        }
        for (int i = 0; i < n; i++) {
            y[i] = samples.get(i).value();
        }
        double[] shares = new double[d];
        for (var tree : RandomForest.grow(x, y, TREES, boundaries, SEED)) {
            double[] treeShares = FunctionalAnova.mainEffectShares(tree, d);
            for (int f = 0; f < d; f++) {
                shares[f] += treeShares[f];
            }
        }
        double sum = 0;
        for (double s : shares) {
            sum += s;
        }
        for (int f = 0; f < d; f++) {
            out.put(parameters.get(f).name(), sum > 0 ? shares[f] / sum : 0.0);
        }
        return new Estimate(METHOD, n, out);
    }

    /** A value's position on its axis (choices sit in the middle of their bins, so splits fall between them). */
    private static double unit(Parameter p, Object value) {
        return Parameter.clampUnit(p.toUnit(value));
    }
}
