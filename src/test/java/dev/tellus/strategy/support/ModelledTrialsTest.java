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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ModelledTrialsTest {

    private static final SearchSpace SPACE = SearchSpace.of(
            new FloatParameter("x", 0, 1, false, null, Condition.ALWAYS));

    private static List<Observation> trials(int n, long seed) {
        var random = new SplittableRandom(seed);
        var out = new ArrayList<Observation>();
        for (int i = 0; i < n; i++) {
            double x = random.nextDouble();
            TrialStatus status = i % 17 == 0 ? TrialStatus.FAILED : i % 11 == 0 ? TrialStatus.PRUNED : TrialStatus.COMPLETED;
            double[] values = status == TrialStatus.FAILED ? null : new double[]{(x - 0.3) * (x - 0.3), random.nextDouble()};
            double[] constraints = i % 7 == 0 ? new double[]{0.5} : new double[]{-1};
            out.add(new Observation(i, status, Map.of("x", x), values, Map.of(), constraints));
        }
        return out;
    }

    private static AskContext context(List<Observation> finished, List<Direction> directions) {
        return new AskContext(SPACE, directions, 1, finished.size(), 1, StrategyState.EMPTY,
                History.of(finished, List.of()));
    }

    @Test
    void studiesWithinTheCapAreModelledWhole() {
        AskContext context = context(trials(1_000, 1), List.of(Direction.MINIMIZE));
        assertThat(ModelledTrials.capped(context, 1_000)).isSameAs(context);
    }

    @Test
    void pastTheCapTheBestRankedTrialsAreExactlyThoseOfTheWholeStudy() {
        List<Observation> all = trials(20_000, 2);
        AskContext full = context(all, List.of(Direction.MINIMIZE));
        AskContext capped = ModelledTrials.capped(full, 1_000);

        assertThat(capped.history().finished()).hasSize(1_000);
        List<RankedTrial> whole = RankedTrial.bestFirst(full);
        List<RankedTrial> modelled = RankedTrial.bestFirst(capped);
        // TPE's good group (at most 25) and GP's best half (200 of its 400 points) are unchanged by the cap.
        assertThat(modelled.subList(0, 250)).extracting(t -> t.observation().number())
                .containsExactlyElementsOf(whole.subList(0, 250).stream().map(t -> t.observation().number()).toList());
        // Infeasible trials are never among the best while enough feasible ones exist.
        assertThat(modelled.subList(0, 250)).allSatisfy(t -> assertThat(t.observation().number() % 7).isNotZero());
    }

    @Test
    void pastTheCapTheNewestHalfIsKeptAndTheRestSpansTheOlderTrials() {
        List<Observation> all = trials(50_000, 3);
        List<Observation> kept = ModelledTrials.capped(context(all, List.of(Direction.MAXIMIZE)), 1_000)
                .history().finished();
        var numbers = new HashSet<Long>();
        kept.forEach(o -> numbers.add(o.number()));
        assertThat(numbers).hasSize(1_000);
        for (long n = 49_999; n > 49_999 - 500; n--) {
            assertThat(numbers).contains(n);
        }
        // In number order, and reaching back to the start of the study.
        assertThat(kept).isSortedAccordingTo((a, b) -> Long.compare(a.number(), b.number()));
        assertThat(kept.get(0).number()).isLessThan(200);
        // Maximising: the best are the largest values.
        double largest = all.stream().filter(o -> o.status() == TrialStatus.COMPLETED && o.number() % 7 != 0)
                .mapToDouble(Observation::value).max().orElseThrow();
        assertThat(kept).anySatisfy(o -> assertThat(o.value()).isEqualTo(largest));
    }

    @Test
    void withSeveralObjectivesTheBestOfEachObjectiveIsKept() {
        List<Observation> all = trials(10_000, 4);
        List<Observation> kept = ModelledTrials.capped(
                context(all, List.of(Direction.MINIMIZE, Direction.MINIMIZE)), 1_000).history().finished();
        for (int k = 0; k < 2; k++) {
            int objective = k;
            double best = all.stream()
                    .filter(o -> o.status() == TrialStatus.COMPLETED && o.number() % 7 != 0)
                    .mapToDouble(o -> o.values()[objective]).min().orElseThrow();
            assertThat(kept).anySatisfy(o -> assertThat(o.values()).isNotNull()
                    .satisfies(v -> assertThat(v[objective]).isEqualTo(best)));
        }
        assertThat(kept).hasSize(1_000);
    }

    @Test
    void theChoiceIsTheSameOnEveryCall() {
        List<Observation> all = trials(5_000, 5);
        AskContext context = context(all, List.of(Direction.MINIMIZE));
        assertThat(ModelledTrials.capped(context, 1_000).history().finished())
                .containsExactlyElementsOf(ModelledTrials.capped(context, 1_000).history().finished());
    }

    @Test
    void quickselectAgreesWithSorting() {
        var random = new SplittableRandom(6);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(300);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = random.nextInt(round % 2 == 0 ? 5 : 1_000_000);   // many ties in every other round
            }
            double[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            int k = random.nextInt(n);
            assertThat(ModelledTrials.kthSmallest(a.clone(), k)).isEqualTo(sorted[k]);
        }
    }
}
