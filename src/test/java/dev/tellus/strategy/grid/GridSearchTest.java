package dev.tellus.strategy.grid;

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
import dev.tellus.strategy.StrategyContractTest;
import dev.tellus.strategy.StrategyState;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridSearchTest extends StrategyContractTest {

    @Override
    protected Strategy create(SearchSpace space) {
        return Strategies.create("grid", Map.of(), space);
    }

    @Override
    @Test
    protected void differentSeedsGiveDifferentProposals() {
        // A grid goes through its points in one order whatever the seed; nothing to check here.
    }

    @Test
    void everyPointOnceThenExhausted() {
        var space = SearchSpace.of(
                new IntParameter("a", 1, 3, false, 1, Condition.ALWAYS),
                new CategoricalParameter("b", List.of("x", "y"), Condition.ALWAYS),
                new FloatParameter("c", 0.0, 1.0, false, 0.5, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 1);
        var seen = new HashSet<Map<String, Object>>();
        int asked = 0;
        while (!study.exhausted) {
            for (Observation o : study.ask(4)) {
                assertThat(seen.add(o.params())).as("point handed out twice: %s", o.params()).isTrue();
                asked++;
            }
        }
        assertThat(asked).isEqualTo(3 * 2 * 3);
        assertThat(study.ask(1)).isEmpty();
        assertThat(study.exhausted).isTrue();
    }

    @Test
    void conditionalParametersMakeNoDuplicatePoints() {
        var space = SearchSpace.of(
                new CategoricalParameter("opt", List.of("adam", "sgd"), Condition.ALWAYS),
                new FloatParameter("momentum", 0.0, 0.9, false, 0.3, new Condition(Map.of("opt", List.of("sgd")))),
                new IntParameter("layers", 1, 2, false, 1, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 1);
        List<Observation> all = study.ask(100);
        // adam: 2 layer values; sgd: 4 momenta x 2 layers.
        assertThat(all).hasSize(2 + 8);
        assertThat(all.stream().map(Observation::params).distinct()).hasSize(10);
        assertThat(all).allSatisfy(o -> assertThat(o.params().containsKey("momentum")).isEqualTo("sgd".equals(o.params().get("opt"))));
    }

    @Test
    void listedValuesMakeAContinuousFloatGriddable() {
        var space = SearchSpace.of(new FloatParameter("lr", 1e-4, 1e-1, true, null, Condition.ALWAYS));
        var grid = Strategies.create("grid", Map.of("grid", Map.of("lr", List.of(1e-3, 1e-2))), space);
        var study = new SimulatedStudy(space, grid, 0);
        assertThat(study.ask(5).stream().map(o -> o.params().get("lr")).toList()).containsExactly(1e-3, 1e-2);
    }

    @Test
    void aContinuousFloatWithoutValuesIsRefusedByField() {
        var space = SearchSpace.of(new FloatParameter("lr", 1e-4, 1e-1, true, null, Condition.ALWAYS));
        assertThatThrownBy(() -> Strategies.create("grid", Map.of(), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("strategy.options.grid.lr"));
    }

    @Test
    void listedValuesAreValidatedAgainstTheSpace() {
        var space = SearchSpace.of(new IntParameter("k", 1, 5, false, 1, Condition.ALWAYS));
        assertThatThrownBy(() -> Strategies.create("grid", Map.of("grid", Map.of("k", List.of(1, 9), "zz", List.of(1))), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("strategy.options.grid.k[1]", "strategy.options.grid.zz"));
    }

    @Test
    void hugeGridsAreEnumeratedLazily() {
        var space = SearchSpace.of(
                new IntParameter("a", 0, 1_000_000_000, false, 1, Condition.ALWAYS),
                new IntParameter("b", 0, 1_000_000_000, false, 1, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 0);
        assertThat(study.ask(2).stream().map(Observation::params).toList())
                .containsExactly(Map.of("a", 0L, "b", 0L), Map.of("a", 0L, "b", 1L));
        assertThat(study.state.document().get("size")).isEqualTo(1_000_000_001L * 1_000_000_001L);
    }

    @Test
    void aOnePointSpaceHandsOutOnePoint() {
        var space = SearchSpace.of(new IntParameter("k", 3, 3, false, 1, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 0);
        assertThat(study.ask(3)).hasSize(1);
        assertThat(study.exhausted).isTrue();
    }

    @Test
    void lostStateIsRebuiltFromTheGridTagsWithoutRepeats() {
        var space = SearchSpace.of(new IntParameter("k", 0, 9, false, 1, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 0);
        study.ask(4);
        study.state = StrategyState.EMPTY;
        assertThat(study.ask(10).stream().map(o -> o.params().get("k")).toList())
                .containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void unknownOptionsAndStrategiesAreRefused() {
        var space = mixedSpace();
        assertThatThrownBy(() -> Strategies.create("grid", Map.of("shuffle", true), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("strategy.options.shuffle"));
        assertThatThrownBy(() -> Strategies.create("random", Map.of("x", 1), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors().get(0).message()).contains("takes no options"));
        assertThatThrownBy(() -> Strategies.create("annealing", Map.of(), space))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("strategy.name"));
    }
}
