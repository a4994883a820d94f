package dev.tellus.strategy.support;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.StrategyState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RankedTrialTest {

    private static Observation trial(long number, TrialStatus status, Double value) {
        return new Observation(number, status, Map.of(), value == null ? null : new double[] {value}, Map.of());
    }

    private static List<Long> order(List<Direction> directions, Observation... trials) {
        var space = SearchSpace.of(new FloatParameter("x", 0, 1, false, null, Condition.ALWAYS));
        var context = new AskContext(space, directions, 0, 10, 1, StrategyState.EMPTY,
                History.of(List.of(trials), List.of()));
        return RankedTrial.bestFirst(context).stream().map(t -> t.observation().number()).toList();
    }

    @Test
    void prunedTrialsRankAfterCompletedOnesEvenWithABetterValueAndFailedOnesAreLeftOut() {
        assertThat(order(List.of(Direction.MINIMIZE),
                trial(0, TrialStatus.COMPLETED, 5.0),
                trial(1, TrialStatus.PRUNED, 0.1),
                trial(2, TrialStatus.PRUNED, null),
                trial(3, TrialStatus.COMPLETED, 2.0),
                trial(4, TrialStatus.FAILED, null),
                trial(5, TrialStatus.COMPLETED, Double.NaN)))
                .containsExactly(3L, 0L, 1L, 2L, 5L);
    }

    @Test
    void maximisedObjectivesRankTheLargestFirst() {
        assertThat(order(List.of(Direction.MAXIMIZE),
                trial(0, TrialStatus.COMPLETED, 1.0),
                trial(1, TrialStatus.COMPLETED, 3.0)))
                .containsExactly(1L, 0L);
    }

    private static Observation result(long number, double[] values, double... constraints) {
        return new Observation(number, TrialStatus.COMPLETED, Map.of("x", 0.5), values, Map.of(),
                constraints.length == 0 ? null : constraints);
    }

    private static List<Long> numbers(List<Direction> directions, Observation... trials) {
        var space = SearchSpace.of(new FloatParameter("x", 0, 1, false, null, Condition.ALWAYS));
        var context = new AskContext(space, directions, 0, 10, 1, StrategyState.EMPTY, History.of(List.of(trials), List.of()));
        return RankedTrial.bestFirst(context).stream().map(t -> t.observation().number()).toList();
    }

    @Test
    void infeasibleTrialsRankAfterEveryFeasibleOneByTheirViolation() {
        assertThat(numbers(List.of(Direction.MINIMIZE),
                result(0, new double[] {1.0}, 0.5, -1),
                result(1, new double[] {9.0}, 0, -2),
                result(2, new double[] {0.1}, 0.2, 0.1),
                result(3, new double[] {5.0}, -1, -1),
                result(4, new double[] {0.0}, 2, 0)))
                .containsExactly(3L, 1L, 2L, 0L, 4L);
    }

    @Test
    void severalObjectivesRankByFrontThenByHypervolumeContribution() {
        // Front 0: (1, 5), (2, 2), (5, 1); (2, 2) adds most to what the front covers. Front 1: (3, 3). Last: (6, 6)
        // infeasible, though nothing dominates it.
        assertThat(numbers(List.of(Direction.MINIMIZE, Direction.MINIMIZE),
                result(0, new double[] {3, 3}, -1),
                result(1, new double[] {1, 5}, -1),
                result(2, new double[] {2, 2}, -1),
                result(3, new double[] {0, 0}, 1),
                result(4, new double[] {5, 1}, -1)))
                .containsExactly(2L, 1L, 4L, 0L, 3L);
    }

    @Test
    void scalarisationWithOneObjectiveIsTheRankingItself() {
        var space = SearchSpace.of(new FloatParameter("x", 0, 1, false, null, Condition.ALWAYS));
        var context = new AskContext(space, List.of(Direction.MAXIMIZE), 0, 10, 1, StrategyState.EMPTY,
                History.of(List.of(result(0, new double[] {1}), result(1, new double[] {3})), List.of()));
        assertThat(RankedTrial.scalarised(context, new java.util.SplittableRandom(1))).isEqualTo(RankedTrial.bestFirst(context));
    }
}
