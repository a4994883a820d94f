package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;

import java.util.Map;

class GeneticTest extends StrategyContractTest {

    @Override
    Strategy create(SearchSpace space) {
        return Strategies.create("genetic", Map.of(), space);
    }
}
