package dev.tellus.strategy.gp;

import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.ModelBasedStrategyTest;
import dev.tellus.strategy.SimulatedStudy;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyContractTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GaussianProcessSearchTest extends ModelBasedStrategyTest {

    @Override
    protected Strategy create(SearchSpace space) {
        return new GaussianProcessSearch(space, Map.of());
    }

    @Override
    protected String name() {
        return "gp";
    }

    @Test
    void theStateCarriesTheFittedKernelForTheNextAsk() {
        SearchSpace space = mixedSpace();
        var study = new SimulatedStudy(space, create(space), 41);
        study.run(15, StrategyContractTest::mixedObjective);
        assertThat(study.state.format()).isEqualTo(2);
        // One lengthscale per feature: six parameters, the categorical one-hot over two choices.
        assertThat((List<?>) study.state.document().get("logLengthscales")).hasSize(7);
    }

    @Test
    void withTwoObjectivesAndAConstraintItModelsEachAndProposesFeasiblePointsOnTheFront() {
        // f1 = x², f2 = (x - 2)², constraint y <= -1 (feasible in a fifth of the square); the front is x in [0, 2].
        SearchSpace space = square();
        var study = new SimulatedStudy(space, create(space), 5,
                List.of(dev.tellus.history.Direction.MINIMIZE, dev.tellus.history.Direction.MINIMIZE));
        var proposals = study.runMulti(30, 1, p -> {
            double x = ((Number) p.get("x")).doubleValue();
            double y = ((Number) p.get("y")).doubleValue();
            return new double[][] {{x * x, (x - 2) * (x - 2)}, {y + 1}};
        });
        // Two objectives and one constraint: three processes, one set of hyperparameters each.
        assertThat(study.state.format()).isEqualTo(GaussianProcessSearch.OUTPUTS_FORMAT);
        assertThat((List<?>) study.state.document().get("outputs")).hasSize(3);
        assertThat(GaussianProcessSearch.decodeOutputs(SimulatedStudy.roundTrip(study.state), 3)).hasSize(3);
        long feasibleOnFront = proposals.subList(15, 30).stream().filter(p -> {
            double x = ((Number) p.get("x")).doubleValue();
            double y = ((Number) p.get("y")).doubleValue();
            return y <= -1 && x >= -0.1 && x <= 2.1;
        }).count();
        // Random search hits that region in 4% of its draws.
        assertThat(feasibleOnFront).isGreaterThanOrEqualTo(10);
    }

    @Test
    void withTwoObjectivesTheStudysReferencePointBoundsTheRegionEhviFills() {
        // f1 = x², f2 = (x - 2)²: the front is x in [0, 2]. Against the reference (1, 9) only x in [0, 1) adds
        // hypervolume; without a reference gp spreads its trials over the whole front.
        SearchSpace space = square();
        java.util.function.Function<Map<String, Object>, double[][]> outcome = p -> {
            double x = ((Number) p.get("x")).doubleValue();
            return new double[][] {{x * x, (x - 2) * (x - 2)}, {}};
        };
        var directions = List.of(dev.tellus.history.Direction.MINIMIZE, dev.tellus.history.Direction.MINIMIZE);
        var bounded = new SimulatedStudy(space, create(space), 3, directions);
        bounded.reference = dev.tellus.strategy.AskContext.referenceAsLosses(new double[] {1, 9}, directions);
        var free = new SimulatedStudy(space, create(space), 3, directions);
        java.util.function.ToLongFunction<List<Map<String, Object>>> insideReference = ps -> ps.stream()
                .filter(p -> ((Number) p.get("x")).doubleValue() >= -0.05 && ((Number) p.get("x")).doubleValue() < 1)
                .count();
        long inside = insideReference.applyAsLong(bounded.runMulti(35, 1, outcome).subList(15, 35));
        long insideWithout = insideReference.applyAsLong(free.runMulti(35, 1, outcome).subList(15, 35));
        assertThat(inside).isGreaterThanOrEqualTo(17);
        assertThat(insideWithout).isLessThanOrEqualTo(14);
    }

    @Test
    void oneObjectiveWithAConstraintMultipliesExpectedImprovementByTheFeasibilityProbability() {
        // The sphere's minimum (1, -2) violates x >= 2; the best feasible point is (2, -2), value 1.
        SearchSpace space = square();
        var study = new SimulatedStudy(space, create(space), 9);
        study.runMulti(30, 1, p -> new double[][] {{sphere(p)}, {2 - ((Number) p.get("x")).doubleValue()}});
        assertThat(study.state.format()).isEqualTo(GaussianProcessSearch.OUTPUTS_FORMAT);
        assertThat((List<?>) study.state.document().get("outputs")).hasSize(2);
        double best = study.finished.stream().filter(o -> o.constraints()[0] <= 0)
                .mapToDouble(o -> o.value()).min().orElseThrow();
        assertThat(best).isLessThan(1.05);
    }

    @Test
    void withThreeObjectivesAndAConstraintParEgoModelsTheScalarisedLossAndTheConstraintApart() {
        // f1 = x², f2 = (x - 2)², f3 = (y + 2)², constraint y >= 3 (feasible in a fifth of the square, where f3 is
        // worst); the feasible front is x in [0, 2] at y = 3.
        SearchSpace space = square();
        var study = new SimulatedStudy(space, create(space), 7, java.util.Collections.nCopies(3,
                dev.tellus.history.Direction.MINIMIZE));
        var proposals = study.runMulti(30, 1, p -> {
            double x = ((Number) p.get("x")).doubleValue();
            double y = ((Number) p.get("y")).doubleValue();
            return new double[][] {{x * x, (x - 2) * (x - 2), (y + 2) * (y + 2)}, {3 - y}};
        });
        // ParEGO (the default with three objectives) with a constraint: one process for the scalarised loss, one for
        // the constraint.
        assertThat(study.state.format()).isEqualTo(GaussianProcessSearch.OUTPUTS_FORMAT);
        assertThat((List<?>) study.state.document().get("outputs")).hasSize(2);
        assertThat(GaussianProcessSearch.decodeOutputs(SimulatedStudy.roundTrip(study.state), 2)).hasSize(2);
        var late = proposals.subList(15, 30);
        long feasible = late.stream().filter(p -> ((Number) p.get("y")).doubleValue() >= 3).count();
        long onBoundary = late.stream().filter(p -> {
            double y = ((Number) p.get("y")).doubleValue();
            return y >= 3 && y <= 3.1;
        }).count();
        // Random search: 20% feasible, 1% within 0.1 of the boundary.
        assertThat(feasible).isGreaterThanOrEqualTo(12);
        assertThat(onBoundary).isGreaterThanOrEqualTo(10);
        // Deterministic for a seed.
        var again = new SimulatedStudy(space, create(space), 7, java.util.Collections.nCopies(3,
                dev.tellus.history.Direction.MINIMIZE));
        assertThat(again.runMulti(30, 1, p -> {
            double x = ((Number) p.get("x")).doubleValue();
            double y = ((Number) p.get("y")).doubleValue();
            return new double[][] {{x * x, (x - 2) * (x - 2), (y + 2) * (y + 2)}, {3 - y}};
        })).isEqualTo(proposals);
    }

    @Test
    void parEgoStaysAvailableAndThreeOrMoreObjectivesUseItByDefault() {
        SearchSpace space = square();
        var three = new SimulatedStudy(space, create(space), 5, java.util.Collections.nCopies(3,
                dev.tellus.history.Direction.MINIMIZE));
        three.runMulti(14, 1, p -> new double[][] {{sphere(p), -sphere(p), 1}, {}});
        assertThat(three.state.format()).isEqualTo(GaussianProcessSearch.FORMAT);
        var threeByEhvi = new SimulatedStudy(space, new GaussianProcessSearch(space, Map.of("multiObjective", "ehvi")), 5,
                java.util.Collections.nCopies(3, dev.tellus.history.Direction.MINIMIZE));
        threeByEhvi.runMulti(14, 1, p -> new double[][] {{sphere(p), -sphere(p), 1}, {}});
        assertThat(threeByEhvi.state.format()).isEqualTo(GaussianProcessSearch.OUTPUTS_FORMAT);
        var four = new SimulatedStudy(space, create(space), 5, java.util.Collections.nCopies(4,
                dev.tellus.history.Direction.MINIMIZE));
        four.runMulti(14, 1, p -> new double[][] {{sphere(p), -sphere(p), 1, 2}, {}});
        assertThat(four.state.format()).isEqualTo(GaussianProcessSearch.FORMAT);
        var parego = new GaussianProcessSearch(space, Map.of("multiObjective", "parego"));
        var two = new SimulatedStudy(space, parego, 5, List.of(dev.tellus.history.Direction.MINIMIZE,
                dev.tellus.history.Direction.MAXIMIZE));
        two.runMulti(14, 1, p -> new double[][] {{sphere(p), sphere(p)}, {}});
        assertThat(two.state.format()).isEqualTo(GaussianProcessSearch.FORMAT);
    }

    @Test
    void afterStartUpItFindsTheOptimumOfASmoothFunctionClosely() {
        // Random search's best of 30 on this sphere is about 1 (median over seeds).
        assertThat(bestAfter(square(), 30, 42, ModelBasedStrategyTest::sphere)).isLessThan(1e-2);
    }

    @Test
    void autoPicksTheGaussianProcessForSmallSpacesAndTpeForLargeOnes() {
        assertThat(Strategies.create("auto", Map.of(), mixedSpace())).isInstanceOf(GaussianProcessSearch.class);
        var large = new dev.tellus.space.Parameter[12];
        for (int i = 0; i < large.length; i++) {
            large[i] = new dev.tellus.space.FloatParameter("x" + i, 0, 1, false, null, dev.tellus.space.Condition.ALWAYS);
        }
        assertThat(Strategies.create("auto", Map.of(), SearchSpace.of(large)))
                .isInstanceOf(dev.tellus.strategy.tpe.TreeParzenEstimator.class);
    }

    @Test
    void autoCountsEachChoiceOfACategoricalAsAFeature() {
        // Three parameters, but 2 + 60 features: past the 50 where a GP ask at 300 trials nears its cost budget.
        var choices = new java.util.ArrayList<Object>();
        for (int c = 0; c < 60; c++) {
            choices.add("c" + c);
        }
        var wide = SearchSpace.of(
                new dev.tellus.space.FloatParameter("x", 0, 1, false, null, dev.tellus.space.Condition.ALWAYS),
                new dev.tellus.space.FloatParameter("y", 0, 1, false, null, dev.tellus.space.Condition.ALWAYS),
                new dev.tellus.space.CategoricalParameter("k", choices, dev.tellus.space.Condition.ALWAYS));
        assertThat(GaussianProcessSearch.featureCount(wide)).isEqualTo(62);
        assertThat(Strategies.create("auto", Map.of(), wide)).isInstanceOf(dev.tellus.strategy.tpe.TreeParzenEstimator.class);
        var narrow = SearchSpace.of(
                new dev.tellus.space.FloatParameter("x", 0, 1, false, null, dev.tellus.space.Condition.ALWAYS),
                new dev.tellus.space.CategoricalParameter("k", choices.subList(0, 40), dev.tellus.space.Condition.ALWAYS));
        assertThat(Strategies.create("auto", Map.of(), narrow)).isInstanceOf(GaussianProcessSearch.class);
    }
}
