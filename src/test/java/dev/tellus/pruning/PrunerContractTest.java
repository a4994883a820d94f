package dev.tellus.pruning;

import dev.tellus.pruning.Pruner.Report;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks every pruner passes. A pruner's test extends this class and says how to build it;
 * algorithm-specific tests add to it.
 */
abstract class PrunerContractTest {

    static final long SEED = 42;
    static final int STEPS = 50;

    /** The pruner under test, configured for runs of {@link #STEPS} steps. */
    abstract Pruner create();

    /** The study's pruner name and options that {@link #create()} stands for. */
    abstract String name();

    /** The losses of every reported step, by step then trial: what intermediate_value holds. */
    static final class Recorded {
        final Map<Long, Map<Long, Double>> byStep = new HashMap<>();
        /** Completed trials and their last steps, by number (lowest first): what `auto` resources read. */
        final java.util.TreeMap<Long, Long> completed = new java.util.TreeMap<>();

        void complete(long trial, long lastStep) {
            completed.put(trial, lastStep);
        }

        void put(long trial, long step, double loss) {
            byStep.computeIfAbsent(step, s -> new HashMap<>()).put(trial, loss);
        }

        /** Asks the pruner exactly as the service does: peers at this step, self excluded. */
        boolean decide(Pruner pruner, long trial, long step, double loss, double best) {
            Map<Long, Double> at = byStep.getOrDefault(step, Map.of());
            long[] trials = at.keySet().stream().filter(t -> t != trial).mapToLong(Long::longValue).toArray();
            double[] losses = new double[trials.length];
            for (int i = 0; i < trials.length; i++) {
                losses[i] = at.get(trials[i]);
            }
            Long reference = completed.isEmpty() ? null : completed.firstEntry().getValue();
            return pruner.resolve(reference).decide(SEED, trial, new Report(step, loss, best), trials, losses);
        }
    }

    /** A curve decaying from 1 + final towards final; returns the step at which it was pruned, or -1. */
    static long run(Pruner pruner, Recorded recorded, long trial, double finalLoss) {
        double best = Double.POSITIVE_INFINITY;
        for (long step = 1; step <= STEPS; step++) {
            double loss = finalLoss + Math.exp(-step / 10.0);
            best = Math.min(best, loss);
            recorded.put(trial, step, loss);
            if (recorded.decide(pruner, trial, step, loss, best)) {
                return step;
            }
        }
        recorded.complete(trial, STEPS);
        return -1;
    }

    @Test
    void aTrialWithNoPeersIsNeverPruned() {
        Pruner pruner = create();
        assertThat(run(pruner, new Recorded(), 0, 100.0)).isEqualTo(-1);
    }

    @Test
    void theBestTrialAtEveryStepContinues() {
        Pruner pruner = create();
        var recorded = new Recorded();
        for (long t = 0; t < 40; t++) {
            run(pruner, recorded, t, 1.0 + t);
        }
        assertThat(run(pruner, recorded, 40, 0.0)).isEqualTo(-1);
    }

    @Test
    void aWorseLossNeverTurnsStopIntoContinue() {
        Pruner pruner = create();
        var random = new SplittableRandom(3);
        for (int check = 0; check < 500; check++) {
            double[] peers = random.doubles(1 + random.nextInt(30)).toArray();
            long step = 1 + random.nextInt(STEPS);
            double loss = random.nextDouble();
            double worse = loss + random.nextDouble();
            if (pruner.prune(new Report(step, loss, loss), peers)) {
                assertThat(pruner.prune(new Report(step, worse, worse), peers)).isTrue();
            }
        }
    }

    @Test
    void aClearlyWorseTrialStopsBeforeItsEndWhileGoodOnesRunToIt() {
        Pruner pruner = create();
        var recorded = new Recorded();
        var stoppedAt = new ArrayList<Long>();
        for (long t = 0; t < 60; t++) {
            // Every fourth trial is far worse than all the others, at every step.
            stoppedAt.add(run(pruner, recorded, t, t % 4 == 3 ? 10.0 + t : 0.01 * t));
        }
        if (!pruner.stopsTrials()) {
            assertThat(stoppedAt).containsOnly(-1L);
            return;
        }
        List<Long> bad = new ArrayList<>();
        for (int t = 3; t < 60; t += 4) {
            if (t >= 20) {
                bad.add(stoppedAt.get(t));
            }
        }
        assertThat(bad).allSatisfy(step -> assertThat(step).isBetween(1L, (long) STEPS - 1));
    }

    @Test
    void decisionsAndBracketsDependOnlyOnTheirArguments() {
        Pruner a = create();
        Pruner b = create();
        var ra = new Recorded();
        var rb = new Recorded();
        for (long t = 0; t < 30; t++) {
            double finalLoss = (t * 7919 % 31) / 31.0;
            assertThat(run(a, ra, t, finalLoss)).isEqualTo(run(b, rb, t, finalLoss));
            assertThat(a.bracket(SEED, t)).isEqualTo(b.bracket(SEED, t)).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void theCanonicalOptionsBuildTheSamePruner() {
        Pruner pruner = create();
        Pruner again = Pruners.create(name(), pruner.options());
        assertThat(again.options()).isEqualTo(pruner.options());
        var ra = new Recorded();
        var rb = new Recorded();
        for (long t = 0; t < 20; t++) {
            double finalLoss = (t * 104729 % 17) / 17.0;
            assertThat(run(pruner, ra, t, finalLoss)).isEqualTo(run(again, rb, t, finalLoss));
        }
    }
}
