package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.gp.GaussianProcessSearch;
import dev.tellus.strategy.tpe.TreeParzenEstimator;

import java.util.Map;

/**
 * Picks a strategy from the size of the space. The rule: {@code gp} for spaces of at most
 * {@value #MAX_GP_PARAMETERS} parameters, where the quality benchmark (2 to 6 parameters, including the mixed
 * space with a categorical and a conditional parameter) shows it several times, mostly orders of magnitude, below
 * {@code tpe} at 100 trials; {@code tpe} for larger spaces, where a Gaussian process needs far more trials to learn
 * its lengthscales and each ask costs more, while TPE's asks stay in milliseconds.
 */
final class AutomaticStrategy {

    static final int MAX_GP_PARAMETERS = 10;

    private AutomaticStrategy() {
    }

    static Strategy forSpace(Map<String, Object> options, SearchSpace space) {
        new StrategyOptions(options, java.util.Set.of()).check();
        return space.size() <= MAX_GP_PARAMETERS
                ? new GaussianProcessSearch(space, Map.of())
                : new TreeParzenEstimator(space, Map.of());
    }
}
