package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.gp.GaussianProcessSearch;
import dev.tellus.strategy.tpe.TreeParzenEstimator;

import java.util.Map;

/**
 * Picks a strategy from the size of the space. The rule: {@code gp} for spaces of at most
 * {@value #MAX_GP_PARAMETERS} parameters whose features (one per numeric parameter, one per choice of a
 * categorical) number at most {@value #MAX_GP_FEATURES}; {@code tpe} otherwise. Why: the quality benchmark (2 to 6
 * parameters, including the mixed space with a categorical and a conditional parameter, and the categorical suite
 * with up to 8 categoricals and 50 features) shows {@code gp} several times, mostly orders of magnitude, below
 * {@code tpe} at 100 trials; in larger spaces a Gaussian process needs far more trials to learn its lengthscales,
 * and its ask cost grows with the features (at 300 trials: 54 ms with 6 features, 169 ms with 50, against a
 * budget of 250 ms), while TPE's asks stay in milliseconds.
 */
final class AutomaticStrategy {

    static final int MAX_GP_PARAMETERS = 10;
    static final int MAX_GP_FEATURES = 50;

    private AutomaticStrategy() {
    }

    static Strategy forSpace(Map<String, Object> options, SearchSpace space) {
        new StrategyOptions(options, java.util.Set.of()).check();
        return space.size() <= MAX_GP_PARAMETERS && GaussianProcessSearch.featureCount(space) <= MAX_GP_FEATURES
                ? new GaussianProcessSearch(space, Map.of())
                : new TreeParzenEstimator(space, Map.of());
    }
}
