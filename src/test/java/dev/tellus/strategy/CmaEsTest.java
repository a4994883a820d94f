package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;

import java.util.Map;

class CmaEsTest extends GenerationalStrategyTest {

    @Override
    int generationSize(SearchSpace space) {
        return CmaEs.defaultPopsize(space.size());
    }

    @Override
    Strategy create(SearchSpace space) {
        return Strategies.create("cmaes", Map.of(), space);
    }
}
