package dev.tellus.strategy.evolution;

import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.SimulatedStudy;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyContractTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneticTest extends GenerationalStrategyTest {

    @Override
    protected Strategy create(SearchSpace space) {
        return Strategies.create("genetic", Map.of(), space);
    }

    @Override
    int generationSize(SearchSpace space) {
        return Genetic.defaultPopulation(space.size());
    }

    @Test
    void badOptionsAreFieldErrorsAllAtOnce() {
        SearchSpace space = sphereSpace();
        assertThatThrownBy(() -> Strategies.create("genetic",
                Map.of("population", 1, "crossover", "one-point", "tournament", 0, "mutationRate", 1.5, "elite", 2), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("strategy.options.population", "strategy.options.crossover",
                                "strategy.options.tournament", "strategy.options.mutationRate", "strategy.options.elite"));
    }

    @Test
    void theBestMemberSurvivesEveryGenerationAndFailuresNeverEnterThePopulation() {
        SearchSpace space = sphereSpace();
        var study = new SimulatedStudy(space, Strategies.create("genetic", Map.of("population", 8), space), 12);
        double bestSoFar = Double.POSITIVE_INFINITY;
        for (int generation = 0; generation < 12; generation++) {
            List<Observation> members = study.ask(8);
            for (Observation o : members) {
                if (memberOf(o) == 3) {
                    study.finish(o, TrialStatus.FAILED, null);
                } else {
                    double v = sphere(o.params());
                    bestSoFar = Math.min(bestSoFar, v);
                    study.tell(o, v);
                }
            }
            study.ask(0);
            List<?> population = (List<?>) study.state.document().get("population");
            assertThat(population).hasSizeLessThanOrEqualTo(8).isNotEmpty();
            double best = ((Number) ((Map<?, ?>) population.get(0)).get("loss")).doubleValue();
            assertThat(best).isEqualTo(bestSoFar);
            assertThat(population).allSatisfy(ind -> assertThat(((Number) ((Map<?, ?>) ind).get("loss")).doubleValue()).isFinite());
        }
    }

    @Test
    void blendCrossoverIsAvailableAndStaysInTheSpace() {
        SearchSpace space = mixedSpace();
        var study = new SimulatedStudy(space, Strategies.create("genetic", Map.of("crossover", "blend"), space), 3);
        for (Map<String, Object> params : study.run(80, StrategyContractTest::mixedObjective)) {
            assertThat(space.validateAssignment(params, "params")).isEqualTo(params);
        }
    }
}
