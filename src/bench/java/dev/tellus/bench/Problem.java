package dev.tellus.bench;

import dev.tellus.space.SearchSpace;

import java.util.Map;
import java.util.function.ToDoubleFunction;

/** A named benchmark function to minimise, with its space and known optimum (so regret = best - optimum). */
public record Problem(String name, SearchSpace space, ToDoubleFunction<Map<String, Object>> objective, double optimum,
                      int defaultBudget) {

    public double evaluate(Map<String, Object> params) {
        return objective.applyAsDouble(params);
    }
}
