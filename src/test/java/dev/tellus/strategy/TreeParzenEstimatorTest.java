package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.tpe.TreeParzenEstimator;

import java.util.Map;

class TreeParzenEstimatorTest extends StrategyContractTest {

    @Override
    Strategy create(SearchSpace space) {
        return new TreeParzenEstimator(space, Map.of());
    }
}
