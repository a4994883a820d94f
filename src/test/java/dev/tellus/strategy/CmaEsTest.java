package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;

import java.util.Map;

class CmaEsTest extends StrategyContractTest {

    @Override
    Strategy create(SearchSpace space) {
        return Strategies.create("cmaes", Map.of(), space);
    }
}
