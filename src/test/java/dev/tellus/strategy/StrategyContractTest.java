package dev.tellus.strategy;

import dev.tellus.history.Direction;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The checks every strategy passes. A strategy's test extends this class and says how to build it for a
 * space; algorithm-specific tests add to it.
 */
public abstract class StrategyContractTest {

    /** The strategy under test, configured for the given space. */
    protected abstract Strategy create(SearchSpace space);

    /** A mixed space with log, step, int and a conditional parameter, finite enough for a grid. */
    protected static SearchSpace mixedSpace() {
        return SearchSpace.of(
                new FloatParameter("lr", 0.0, 0.1, false, 0.01, Condition.ALWAYS),
                new IntParameter("layers", 1, 8, false, 1, Condition.ALWAYS),
                new IntParameter("units", 16, 256, true, 1, Condition.ALWAYS),
                new FloatParameter("dropout", 0.0, 0.5, false, 0.05, Condition.ALWAYS),
                new CategoricalParameter("optimizer", List.of("adam", "sgd"), Condition.ALWAYS),
                new FloatParameter("momentum", 0.5, 0.9, false, 0.1, new Condition(Map.of("optimizer", List.of("sgd")))));
    }

    /** A small objective on the mixed space with a known best corner. */
    protected static double mixedObjective(Map<String, Object> p) {
        double lr = ((Number) p.get("lr")).doubleValue();
        double layers = ((Number) p.get("layers")).doubleValue();
        double dropout = ((Number) p.get("dropout")).doubleValue();
        double momentum = p.containsKey("momentum") ? ((Number) p.get("momentum")).doubleValue() : 0.7;
        return Math.pow(lr - 0.05, 2) + Math.pow(layers - 4, 2) / 10 + dropout + Math.abs(momentum - 0.7);
    }

    /** Two objectives (minimise the mixed objective, maximise layers) and one constraint (dropout at most 0.3). */
    protected static double[][] twoObjectivesOneConstraint(Map<String, Object> p) {
        double layers = ((Number) p.get("layers")).doubleValue();
        double dropout = ((Number) p.get("dropout")).doubleValue();
        return new double[][] {{mixedObjective(p), layers}, {dropout - 0.3}};
    }

    protected static final List<Direction> MIN_MAX = List.of(Direction.MINIMIZE, Direction.MAXIMIZE);

    @Test
    void severalObjectivesAndConstraintsGiveValidDeterministicProposalsThatSurviveAStateRoundTrip() {
        SearchSpace space = mixedSpace();
        var a = new SimulatedStudy(space, create(space), 9, MIN_MAX);
        var b = new SimulatedStudy(space, create(space), 9, MIN_MAX);
        List<Map<String, Object>> first = a.runMulti(24, 3, StrategyContractTest::twoObjectivesOneConstraint);
        assertThat(first).isEqualTo(b.runMulti(24, 3, StrategyContractTest::twoObjectivesOneConstraint));
        for (Map<String, Object> params : first) {
            assertThatCode(() -> space.validateAssignment(params, "params")).doesNotThrowAnyException();
        }
        // Another replica with the decoded state proposes what this one would.
        var replica = new SimulatedStudy(space, create(space), 9, MIN_MAX);
        replica.finished.addAll(a.finished);
        replica.nextNumber = a.nextNumber;
        replica.state = SimulatedStudy.roundTrip(a.state);
        List<Observation> next = a.ask(3);
        assertThat(replica.ask(3)).isEqualTo(next);
        for (Observation o : next) {
            assertThatCode(() -> space.validateAssignment(o.params(), "params")).doesNotThrowAnyException();
        }
    }

    @Test
    void proposalsLieInsideTheSpaceWithConditionalsRespected() {
        SearchSpace space = mixedSpace();
        var study = new SimulatedStudy(space, create(space), 7);
        for (Map<String, Object> params : study.run(40, StrategyContractTest::mixedObjective)) {
            assertThatCode(() -> space.validateAssignment(params, "params")).doesNotThrowAnyException();
            assertThat(params.containsKey("momentum")).isEqualTo("sgd".equals(params.get("optimizer")));
        }
    }

    @Test
    void theSameSeedGivesTheSameProposals() {
        SearchSpace space = mixedSpace();
        var a = new SimulatedStudy(space, create(space), 42).run(30, StrategyContractTest::mixedObjective);
        var b = new SimulatedStudy(space, create(space), 42).run(30, StrategyContractTest::mixedObjective);
        assertThat(a).hasSize(30).isEqualTo(b);
    }

    @Test
    protected void differentSeedsGiveDifferentProposals() {
        SearchSpace space = mixedSpace();
        var a = new SimulatedStudy(space, create(space), 1).run(20, StrategyContractTest::mixedObjective);
        var b = new SimulatedStudy(space, create(space), 2).run(20, StrategyContractTest::mixedObjective);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aDecodedStateGivesTheSameNextProposalsMidRun() {
        SearchSpace space = mixedSpace();
        var original = new SimulatedStudy(space, create(space), 5);
        original.run(13, StrategyContractTest::mixedObjective);
        List<Observation> running = original.ask(3);

        // A second instance of the strategy (another replica, or after a restart) with the decoded state.
        var restarted = new SimulatedStudy(space, create(space), 5);
        restarted.finished.addAll(original.finished);
        restarted.pending.addAll(original.pending);
        restarted.nextNumber = original.nextNumber;
        restarted.state = SimulatedStudy.roundTrip(original.state);

        assertThat(restarted.ask(4)).isEqualTo(original.ask(4));
        assertThat(running).hasSize(3);
    }

    @Test
    void anUnreadableStateIsRebuiltNotFatal() {
        SearchSpace space = mixedSpace();
        var study = new SimulatedStudy(space, create(space), 3);
        study.run(5, StrategyContractTest::mixedObjective);
        study.state = new StrategyState(999, Map.of("garbage", List.of(1, 2)));
        List<Observation> next = study.ask(2);
        assertThat(next).isNotEmpty();
        for (Observation o : next) {
            assertThatCode(() -> space.validateAssignment(o.params(), "params")).doesNotThrowAnyException();
        }
    }

    @Test
    void batchesWhileTrialsAreRunningStayValid() {
        SearchSpace space = mixedSpace();
        var study = new SimulatedStudy(space, create(space), 11);
        var all = new ArrayList<Observation>();
        for (int round = 0; round < 5; round++) {
            List<Observation> batch = study.ask(4);
            assertThat(batch).hasSize(4);
            all.addAll(batch);
            // Tell only half: the rest stay running into the next ask.
            for (int i = 0; i < batch.size(); i += 2) {
                study.tell(batch.get(i), mixedObjective(batch.get(i).params()));
            }
        }
        assertThat(all.stream().map(Observation::number).distinct()).hasSize(20);
    }

    @Test
    void failedAndPrunedTrialsInTheHistoryAreTolerated() {
        SearchSpace space = mixedSpace();
        var study = new SimulatedStudy(space, create(space), 9);
        for (int i = 0; i < 12; i++) {
            Observation o = study.ask(1).get(0);
            switch (i % 3) {
                case 0 -> study.finish(o, TrialStatus.FAILED, null);
                case 1 -> study.finish(o, TrialStatus.PRUNED, null);
                default -> study.tell(o, mixedObjective(o.params()));
            }
        }
        assertThat(study.ask(2)).hasSize(2);
    }
}
