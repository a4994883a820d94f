package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.gp.GaussianProcessSearch;
import dev.tellus.strategy.tpe.TreeParzenEstimator;

import java.util.Map;

/**
 * Picks a strategy from the shape of the space. The rule: {@code gp} for spaces of at most
 * {@value #MAX_GP_PARAMETERS} parameters without conditional parameters, where the quality benchmark shows it
 * several times (often orders of magnitude) below {@code tpe} at 100 trials; {@code tpe} otherwise, since its asks
 * stay cheap in large spaces and it models conditional parameters from the trials where they are active.
 */
public final class AutomaticStrategy {

    static final int MAX_GP_PARAMETERS = 10;

    private AutomaticStrategy() {
    }

    static Strategy forSpace(Map<String, Object> options, SearchSpace space) {
        new StrategyOptions(options, java.util.Set.of());
        return space.size() <= MAX_GP_PARAMETERS && !space.hasConditions()
                ? new GaussianProcessSearch(space, Map.of())
                : new TreeParzenEstimator(space, Map.of());
    }
}
