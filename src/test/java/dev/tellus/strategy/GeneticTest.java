package dev.tellus.strategy;

import dev.tellus.space.SearchSpace;

import java.util.Map;

class GeneticTest extends GenerationalStrategyTest {

    @Override
    int generationSize(SearchSpace space) {
        return Genetic.defaultPopulation(space.size());
    }

    @Override
    Strategy create(SearchSpace space) {
        return Strategies.create("genetic", Map.of(), space);
    }
}
