package dev.tellus.strategy.evolution;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.SimulatedStudy;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyContractTest;
import dev.tellus.strategy.StrategyState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generation bookkeeping every evolutionary strategy shares (see {@link Generations}): out-of-order, failed and
 * late results, more workers than members, two replicas, and restarts with or without a readable state.
 */
abstract class GenerationalStrategyTest extends StrategyContractTest {

    /** How many members one generation of the strategy has on this space, with default options. */
    abstract int generationSize(SearchSpace space);

    static long generationOf(Observation o) {
        return ((Number) o.tags().get(Generations.GENERATION)).longValue();
    }

    static int memberOf(Observation o) {
        return ((Number) o.tags().get(Generations.MEMBER)).intValue();
    }

    static long stateGeneration(SimulatedStudy study) {
        return ((Number) study.state.document().get("generation")).longValue();
    }

    static SearchSpace sphereSpace() {
        return SearchSpace.of(
                new FloatParameter("a", -2, 2, false, null, Condition.ALWAYS),
                new FloatParameter("b", -2, 2, false, null, Condition.ALWAYS),
                new FloatParameter("c", 1e-3, 10, true, null, Condition.ALWAYS));
    }

    static double sphere(Map<String, Object> p) {
        double a = ((Number) p.get("a")).doubleValue() - 0.5;
        double b = ((Number) p.get("b")).doubleValue() + 0.3;
        double c = Math.log10(((Number) p.get("c")).doubleValue());
        return a * a + b * b + c * c;
    }

    @Test
    void everyProposalIsTaggedWithItsGenerationAndMemberIndex() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var study = new SimulatedStudy(space, create(space), 1);
        var asked = new ArrayList<Observation>();
        for (int i = 0; i < 2 * size; i++) {
            Observation o = study.ask(1).get(0);
            asked.add(o);
            study.tell(o, sphere(o.params()));
        }
        for (int i = 0; i < asked.size(); i++) {
            assertThat(generationOf(asked.get(i))).isEqualTo(i / size);
            assertThat(memberOf(asked.get(i))).isEqualTo(i % size);
        }
    }

    @Test
    void theUpdateWaitsForTheWholeGenerationAndIgnoresArrivalOrder() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var inOrder = new SimulatedStudy(space, create(space), 21);
        var shuffled = new SimulatedStudy(space, create(space), 21);
        List<Observation> a = inOrder.ask(size);
        List<Observation> b = shuffled.ask(size);
        assertThat(a).isEqualTo(b);
        a.forEach(o -> inOrder.tell(o, sphere(o.params())));

        var order = new ArrayList<>(b);
        Collections.reverse(order);
        Observation last = order.remove(0);
        for (Observation o : order) {
            shuffled.tell(o, sphere(o.params()));
            // One member still out: asking must not fold the generation in yet.
            shuffled.ask(0);
            assertThat(stateGeneration(shuffled)).isZero();
        }
        shuffled.tell(last, sphere(last.params()));

        assertThat(shuffled.ask(size)).isEqualTo(inOrder.ask(size));
        assertThat(stateGeneration(shuffled)).isEqualTo(1);
    }

    @Test
    void failedAndPrunedMembersNeverStickAGeneration() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var study = new SimulatedStudy(space, create(space), 4);
        List<Observation> generation = study.ask(size);
        study.finish(generation.get(0), TrialStatus.FAILED, null);
        study.finish(generation.get(1), TrialStatus.PRUNED, new double[] {0.01});
        for (Observation o : generation.subList(2, size)) {
            study.tell(o, sphere(o.params()));
        }
        List<Observation> next = study.ask(1);
        assertThat(generationOf(next.get(0))).isEqualTo(1);
        assertThat(stateGeneration(study)).isEqualTo(1);
    }

    @Test
    void aGenerationWhoseMembersAllFailedStillMovesOn() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var study = new SimulatedStudy(space, create(space), 4);
        study.ask(size).forEach(o -> study.finish(o, TrialStatus.FAILED, null));
        assertThat(generationOf(study.ask(1).get(0))).isEqualTo(1);
    }

    @Test
    void aLateResultForAFoldedGenerationIsIgnored() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var withLate = new SimulatedStudy(space, create(space), 8);
        var without = new SimulatedStudy(space, create(space), 8);
        for (var study : List.of(withLate, without)) {
            List<Observation> generation = study.ask(size);
            // The lease reaper failed member 0; the others completed.
            study.finish(generation.get(0), TrialStatus.FAILED, null);
            generation.subList(1, size).forEach(o -> study.tell(o, sphere(o.params())));
            study.ask(2);
        }
        // Member 0's result arrives after its generation was folded in, and is kept as a completed trial.
        Observation late = withLate.finished.stream().filter(o -> o.status() == TrialStatus.FAILED).findFirst().orElseThrow();
        withLate.finished.remove(late);
        withLate.tell(late, -1000);

        assertThat(withLate.ask(3)).isEqualTo(without.ask(3));
    }

    @Test
    void moreWorkersThanMembersGetMembersOfTheNextGeneration() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var study = new SimulatedStudy(space, create(space), 13);
        List<Observation> asked = study.ask(size + 3);
        assertThat(asked).hasSize(size + 3);
        assertThat(asked.stream().filter(o -> generationOf(o) == 0)).hasSize(size);
        assertThat(asked.subList(size, size + 3)).allSatisfy(o -> assertThat(generationOf(o)).isEqualTo(1));
        assertThat(asked.subList(size, size + 3).stream().map(GenerationalStrategyTest::memberOf)).containsExactly(0, 1, 2);

        // Results come back in any order; both generations fold in and the study goes on to generation 2.
        var reversed = new ArrayList<>(asked);
        Collections.reverse(reversed);
        reversed.forEach(o -> study.tell(o, sphere(o.params())));
        List<Observation> rest = study.ask(size - 3);
        assertThat(rest).allSatisfy(o -> assertThat(generationOf(o)).isEqualTo(1));
        rest.forEach(o -> study.tell(o, sphere(o.params())));
        assertThat(generationOf(study.ask(1).get(0))).isEqualTo(2);
        assertThat(stateGeneration(study)).isEqualTo(2);
    }

    @Test
    void twoReplicasAskingInTurnProposeWhatOneWould() {
        SearchSpace space = sphereSpace();
        var one = new SimulatedStudy(space, create(space), 17);
        var two = new SimulatedStudy(space, create(space), 17);
        Strategy replicaA = two.strategy;
        Strategy replicaB = create(space);
        for (int round = 0; round < 12; round++) {
            List<Observation> a = one.ask(3);
            // The study lock serialises asks; each replica reads the state the other one saved.
            List<Observation> b = askVia(two, round % 2 == 0 ? replicaA : replicaB, 3);
            assertThat(b).isEqualTo(a);
            for (int i = 0; i < 3; i++) {
                one.tell(a.get(i), sphere(a.get(i).params()));
                two.tell(b.get(i), sphere(b.get(i).params()));
            }
        }
    }

    /** An ask on the study served by another strategy instance (another replica) that reads the saved state. */
    private static List<Observation> askVia(SimulatedStudy study, Strategy replica, int count) {
        var served = new SimulatedStudy(study.space, replica, study.seed);
        served.finished.addAll(study.finished);
        served.pending.addAll(study.pending);
        served.nextNumber = study.nextNumber;
        served.state = study.state;
        List<Observation> out = served.ask(count);
        study.pending.addAll(out);
        study.nextNumber = served.nextNumber;
        study.state = served.state;
        return out;
    }

    @Test
    void aSeededStudyProposesTheSameSequenceWithARestartInTheMiddle() {
        SearchSpace space = sphereSpace();
        List<Map<String, Object>> straight = new SimulatedStudy(space, create(space), 31).run(70, GenerationalStrategyTest::sphere);

        var first = new SimulatedStudy(space, create(space), 31);
        List<Map<String, Object>> before = first.run(33, GenerationalStrategyTest::sphere);
        // A new server: a new strategy instance, the trials and the state as they come back from PostgreSQL.
        var second = new SimulatedStudy(space, create(space), 31);
        second.finished.addAll(first.finished);
        second.nextNumber = first.nextNumber;
        second.state = SimulatedStudy.roundTrip(first.state);
        List<Map<String, Object>> after = second.run(37, GenerationalStrategyTest::sphere);

        var joined = new ArrayList<>(before);
        joined.addAll(after);
        assertThat(joined).isEqualTo(straight);
    }

    @Test
    void aLostStateIsRebuiltFromTheTrialsToTheSameProposals() {
        SearchSpace space = sphereSpace();
        int size = generationSize(space);
        var kept = new SimulatedStudy(space, create(space), 55);
        var lost = new SimulatedStudy(space, create(space), 55);
        for (var study : List.of(kept, lost)) {
            study.run(3 * size + 2, GenerationalStrategyTest::sphere);
            study.ask(2);
        }
        lost.state = new StrategyState(1, Map.of("mean", "not a vector"));
        assertThat(lost.ask(size + 1)).isEqualTo(kept.ask(size + 1));
    }

    @Test
    void tagsAsTheyComeBackFromJsonbGiveTheSameProposals() {
        SearchSpace space = mixedSpace();
        int size = generationSize(space);
        var original = new SimulatedStudy(space, create(space), 44);
        original.run(2 * size + 3, StrategyContractTest::mixedObjective);
        original.ask(size);
        var stored = new SimulatedStudy(space, create(space), 44);
        for (Observation o : original.finished) {
            stored.finished.add(new Observation(o.number(), o.status(), o.params(), o.values(), fromJsonb(o.tags())));
        }
        for (Observation o : original.pending) {
            stored.pending.add(new Observation(o.number(), o.status(), o.params(), o.values(), fromJsonb(o.tags())));
        }
        List.copyOf(original.pending).forEach(o -> original.tell(o, mixedObjective(o.params())));
        List.copyOf(stored.pending).forEach(o -> stored.tell(o, mixedObjective(o.params())));
        stored.nextNumber = original.nextNumber;
        stored.state = original.state;
        // And a lost state, rebuilt from those stored tags.
        var rebuilt = new SimulatedStudy(space, create(space), 44);
        rebuilt.finished.addAll(stored.finished);
        rebuilt.nextNumber = stored.nextNumber;

        List<Map<String, Object>> expected = original.ask(size).stream().map(Observation::params).toList();
        assertThat(stored.ask(size).stream().map(Observation::params).toList()).isEqualTo(expected);
        assertThat(rebuilt.ask(size).stream().map(Observation::params).toList()).isEqualTo(expected);
    }

    /** Tags as a jsonb column gives them back: integers may come back as Integer, lists as lists of Double. */
    private static Map<String, Object> fromJsonb(Map<String, Object> tags) {
        return SimulatedStudy.roundTrip(new StrategyState(1, tags)).document();
    }

    @Test
    void withAReadableStateAnAskNeverReadsTheWholeHistory() {
        SearchSpace space = sphereSpace();
        var study = new SimulatedStudy(space, create(space), 6);
        study.run(5 * generationSize(space) + 1, GenerationalStrategyTest::sphere);
        History everything = History.of(study.finished, study.pending);
        History taggedOnly = new History() {
            @Override
            public List<Observation> finished() {
                throw new AssertionError("finished() read on an ask with a readable state");
            }

            @Override
            public List<Observation> pending() {
                throw new AssertionError("pending() read on an ask with a readable state");
            }

            @Override
            public List<Observation> tagged(String key, Object value) {
                return everything.tagged(key, value);
            }
        };
        var context = new AskContext(space, List.of(Direction.MINIMIZE), 6, study.nextNumber, 3, study.state, taggedOnly);
        assertThat(study.strategy.propose(context).proposals()).hasSize(3);
    }
}
