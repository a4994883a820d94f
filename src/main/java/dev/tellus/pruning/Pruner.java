package dev.tellus.pruning;

import java.util.Arrays;
import java.util.Map;

/**
 * Decides whether a trial that reported an intermediate value should stop. Pure: everything arrives as
 * arguments, in losses (values already turned so that smaller is better), and the same arguments always
 * give the same answer.
 *
 * <p>A decision at step {@code s} reads only values recorded at step {@code s} (by other trials of the same
 * bracket) and the trial's own values up to {@code s}, so the service can answer from an index on
 * (study, step) without scanning the study's history.
 */
public interface Pruner {

    /** A trial's report as a pruner sees it: the step, the loss at that step and the best loss up to it. */
    record Report(long step, double loss, double bestLoss) {
    }

    /** False only for {@code none}: whether this pruner ever stops a trial. */
    default boolean stopsTrials() {
        return true;
    }

    /** The comparison group of a trial, from the study seed and trial number; 0 for single-bracket pruners. */
    default int bracket(long seed, long trial) {
        return 0;
    }

    /** Whether a report at this step by a trial of this bracket is judged at all (otherwise: continue). */
    boolean judges(int bracket, long step);

    /** Whether to stop, given the losses other trials of the same bracket recorded at {@code report.step()}. */
    boolean prune(Report report, double[] peerLosses);

    /** The options with every default filled in, as stored in the study's canonical definition. */
    Map<String, Object> options();

    /**
     * Whether this pruner's resources are {@code auto}: it can judge only once it knows how many steps a finished
     * trial reports (see {@link #resolve}), and the service must look that up.
     */
    default boolean needsReference() {
        return false;
    }

    /**
     * The pruner that judges now. {@code referenceSteps} is the last step reported by the study's first completed
     * trial (the lowest-numbered completed trial that reported any value), or null while there is none. A pruner
     * without {@code auto} resources returns itself; an {@code auto} one returns the pruner with its resources
     * derived from the reference, or {@link NoPruner} while there is no reference (nothing is pruned before the
     * first trial has shown how long a trial runs, as in Optuna).
     */
    default Pruner resolve(Long referenceSteps) {
        return this;
    }

    /**
     * The whole rule: bracket, judged step, peers of the same bracket only. {@code peerTrials[i]} recorded
     * {@code peerLosses[i]} at the report's step; the reporting trial itself must not be among them.
     */
    default boolean decide(long seed, long trial, Report report, long[] peerTrials, double[] peerLosses) {
        int bracket = bracket(seed, trial);
        if (!judges(bracket, report.step())) {
            return false;
        }
        double[] same = new double[peerLosses.length];
        int n = 0;
        for (int i = 0; i < peerTrials.length; i++) {
            if (peerTrials[i] != trial && bracket(seed, peerTrials[i]) == bracket) {
                same[n++] = peerLosses[i];
            }
        }
        return prune(report, Arrays.copyOf(same, n));
    }
}
