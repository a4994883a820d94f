package dev.tellus.strategy.evolution;

import dev.tellus.history.Direction;
import dev.tellus.history.Observation;
import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Condition;
import dev.tellus.space.FieldError;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.SimulatedStudy;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.random.RandomSearch;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmaEsTest extends GenerationalStrategyTest {

    @Override
    protected Strategy create(SearchSpace space) {
        return Strategies.create("cmaes", Map.of(), space);
    }

    @Override
    int generationSize(SearchSpace space) {
        return CmaEs.defaultPopsize(space.size());
    }

    @Test
    void thePopulationSizeFollowsTheDimensionOrTheOption() {
        assertThat(CmaEs.defaultPopsize(10)).isEqualTo(10);
        assertThat(CmaEs.defaultPopsize(5)).isEqualTo(8);
        SearchSpace space = sphereSpace();
        var study = new SimulatedStudy(space, Strategies.create("cmaes", Map.of("popsize", 5), space), 1);
        List<Observation> asked = study.ask(6);
        assertThat(asked.get(5).tags()).containsEntry(Generations.GENERATION, 1L).containsEntry(Generations.MEMBER, 0);
    }

    @Test
    void badOptionsAreFieldErrorsAllAtOnce() {
        SearchSpace space = sphereSpace();
        assertThatThrownBy(() -> Strategies.create("cmaes",
                Map.of("popsize", 1, "sigma0", 2.0, "restarts", "many", "step", 3), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("strategy.options.popsize", "strategy.options.sigma0",
                                "strategy.options.restarts", "strategy.options.step"));
    }

    @Test
    void itConvergesOnAnEllipsoidWhereRandomSearchDoesNot() {
        SearchSpace space = sphereSpace();
        var cmaes = new SimulatedStudy(space, create(space), 2);
        cmaes.run(400, GenerationalStrategyTest::sphere);
        var random = new SimulatedStudy(space, new RandomSearch(), 2);
        random.run(400, GenerationalStrategyTest::sphere);
        assertThat(best(cmaes)).isLessThan(1e-6).isLessThan(best(random) / 1000);
    }

    @Test
    void whenTheSearchHasConvergedItRestartsWithTwiceThePopulation() {
        SearchSpace space = SearchSpace.of(
                new FloatParameter("a", -1, 1, false, null, Condition.ALWAYS),
                new FloatParameter("b", -1, 1, false, null, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 3);
        study.run(3000, p -> Math.pow(((Number) p.get("a")).doubleValue(), 2) + Math.pow(((Number) p.get("b")).doubleValue(), 2));
        int base = CmaEs.defaultPopsize(2);
        var run1 = study.finished.stream().filter(o -> ((Number) o.tags().get(CmaEs.RUN)).intValue() == 1).toList();
        assertThat(run1).isNotEmpty();
        assertThat(run1.stream().mapToInt(GenerationalStrategyTest::memberOf).max().orElse(-1)).isEqualTo(2 * base - 1);

        // Losing the state after restarts: the replay goes through the same restarts to the same proposals.
        var lost = new SimulatedStudy(space, create(space), 3);
        lost.finished.addAll(study.finished);
        lost.nextNumber = study.nextNumber;
        lost.state = StrategyState.EMPTY;
        assertThat(lost.ask(5)).isEqualTo(study.ask(5));
    }

    @Test
    void integerParametersKeepMovingThanksToTheMargin() {
        SearchSpace space = SearchSpace.of(
                new IntParameter("i", 0, 20, false, 1, Condition.ALWAYS),
                new IntParameter("j", 0, 20, false, 1, Condition.ALWAYS),
                new IntParameter("k", 1, 1000, true, 1, Condition.ALWAYS));
        // No restarts: without the margin the step size collapses and every sample decodes to one point.
        var study = new SimulatedStudy(space, Strategies.create("cmaes", Map.of("restarts", 0), space), 5);
        List<Map<String, Object>> seen = study.run(800, p -> Math.pow(((Number) p.get("i")).doubleValue() - 13, 2)
                + Math.pow(((Number) p.get("j")).doubleValue() - 7, 2)
                + Math.pow(Math.log(((Number) p.get("k")).doubleValue() / 40.0), 2));
        assertThat(seen).contains(Map.of("i", 13L, "j", 7L, "k", 40L));
        // Even after convergence the last generations still try neighbouring values instead of repeating one point.
        assertThat(new HashSet<>(seen.subList(700, 800)).size()).isGreaterThan(2);
    }

    @Test
    void categoricalChoicesDriftTowardsTheBetterChoice() {
        SearchSpace space = SearchSpace.of(
                new FloatParameter("x", 0, 1, false, null, Condition.ALWAYS),
                new CategoricalParameter("kind", List.of("a", "b", "c"), Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 9);
        List<Map<String, Object>> seen = study.run(200, p -> Math.pow(((Number) p.get("x")).doubleValue() - 0.3, 2)
                + ("b".equals(p.get("kind")) ? 0 : 1));
        long b = seen.subList(150, 200).stream().filter(p -> "b".equals(p.get("kind"))).count();
        // The floor keeps every choice possible, but the better one dominates.
        assertThat(b).isGreaterThan(30);
        assertThat(seen.subList(150, 200).stream().map(p -> p.get("kind")).distinct().count()).isGreaterThan(1);
    }

    @Test
    void aSpaceWithoutNumericParametersOrATinyPopulationStillWorks() {
        SearchSpace categorical = SearchSpace.of(
                new CategoricalParameter("a", List.of("x", "y", "z"), Condition.ALWAYS),
                new CategoricalParameter("b", List.of(1L, 2L), Condition.ALWAYS));
        var onlyChoices = new SimulatedStudy(categorical, create(categorical), 1);
        List<Map<String, Object>> seen = onlyChoices.run(60, p -> ("z".equals(p.get("a")) ? 0 : 1) + ((Long) p.get("b")));
        assertThat(seen.subList(40, 60).stream().filter(p -> "z".equals(p.get("a"))).count()).isGreaterThan(10);

        SearchSpace space = sphereSpace();
        var tiny = new SimulatedStudy(space, Strategies.create("cmaes", Map.of("popsize", 2), space), 1);
        for (Map<String, Object> params : tiny.run(200, GenerationalStrategyTest::sphere)) {
            assertThat(space.validateAssignment(params, "params")).isEqualTo(params);
        }
        assertThat(best(tiny)).isLessThan(0.5);
    }

    @Test
    void maximisingRanksTheLargestValueFirst() {
        SearchSpace space = sphereSpace();
        var study = new SimulatedStudy(space, create(space), 2, List.of(Direction.MAXIMIZE));
        study.run(300, p -> -GenerationalStrategyTest.sphere(p));
        assertThat(study.finished.stream().mapToDouble(Observation::value).max().orElseThrow()).isGreaterThan(-1e-4);
    }

    private static double best(SimulatedStudy study) {
        return study.finished.stream().mapToDouble(Observation::value).min().orElseThrow();
    }
}
