package dev.tellus.strategy.evolution;

import dev.tellus.history.Direction;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.SimulatedStudy;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.support.Pareto;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** NSGA-II: the generational contract (with one objective it is a genetic algorithm) plus its front-keeping. */
class Nsga2Test extends GenerationalStrategyTest {

    @Override
    protected Strategy create(SearchSpace space) {
        return Strategies.create("nsga2", Map.of(), space);
    }

    @Override
    int generationSize(SearchSpace space) {
        return Genetic.defaultParetoPopulation(space.size());
    }

    /** Schaffer's problem: f1 = x², f2 = (x - 2)², whose Pareto set is x in [0, 2]; feasible when x ≥ 1. */
    private static double[][] schaffer(Map<String, Object> p) {
        double x = ((Number) p.get("x0")).doubleValue();
        return new double[][] {{x * x, (x - 2) * (x - 2)}, {1 - x}};
    }

    @Test
    void generationsMoveTheFeasiblePopulationOntoTheParetoSet() {
        SearchSpace space = SearchSpace.of(new FloatParameter("x0", -1, 3, false, null, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 4, List.of(Direction.MINIMIZE, Direction.MINIMIZE));
        int size = generationSize(space);
        List<Map<String, Object>> asked = study.runMulti(size * 8, 4, Nsga2Test::schaffer);
        List<Map<String, Object>> firstGeneration = asked.subList(0, size);
        List<Map<String, Object>> lastGeneration = asked.subList(asked.size() - size, asked.size());
        assertThat(onFeasibleSet(lastGeneration)).isGreaterThan(onFeasibleSet(firstGeneration));
        assertThat(onFeasibleSet(lastGeneration)).isGreaterThanOrEqualTo(size / 2);
        // The survivors' front spreads along the set rather than collapsing onto one point.
        var front = new ArrayList<double[]>();
        study.finished.stream().filter(o -> Pareto.violation(o.constraints()) <= 0).forEach(o -> front.add(o.values()));
        assertThat(Pareto.hypervolume(front, new double[] {4, 4})).isGreaterThan(0.9 * optimalHypervolume());
    }

    private static long onFeasibleSet(List<Map<String, Object>> members) {
        return members.stream().mapToDouble(p -> ((Number) p.get("x0")).doubleValue()).filter(x -> x >= 1 && x <= 2).count();
    }

    /** The hypervolume of the feasible Pareto set x in [1, 2] against (4, 4), by a fine sampling of the curve. */
    private static double optimalHypervolume() {
        var points = new ArrayList<double[]>();
        for (int i = 0; i <= 1000; i++) {
            double x = 1 + i / 1000.0;
            points.add(new double[] {x * x, (x - 2) * (x - 2)});
        }
        return Pareto.hypervolume(points, new double[] {4, 4});
    }
}
