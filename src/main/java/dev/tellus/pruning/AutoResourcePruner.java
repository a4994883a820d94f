package dev.tellus.pruning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code asha} or {@code hyperband} with {@code minResource} and/or {@code maxResource} left {@code auto} (the
 * defaults): the resources are derived from R, the last step the study's first completed trial reported.
 * {@code maxResource} = R; {@code minResource} = max(1, ⌊R / η²⌋), so the rungs fall near R/η², R/η and R:
 * two or three chances to stop a trial, the first after about a ninth of its run at η = 3. Optuna's
 * {@code auto} takes R/100, suited to hundreds of epochs; measured on the learning-curve benchmark (50 steps,
 * curves that cross), a first rung at the first step lost 26% on the best final loss, this rule about 1%
 * (docs/quality.md). Until a trial has completed nothing is pruned.
 */
final class AutoResourcePruner implements Pruner {

    static final String AUTO = "auto";

    private final String name;
    private final Long minResource;
    private final int reductionFactor;
    private final Long maxResource;

    /** name: asha or hyperband; a null resource is auto. */
    AutoResourcePruner(String name, Long minResource, int reductionFactor, Long maxResource) {
        this.name = name;
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.maxResource = maxResource;
    }

    @Override
    public boolean needsReference() {
        return true;
    }

    @Override
    public Pruner resolve(Long referenceSteps) {
        if (referenceSteps == null || referenceSteps < 1) {
            return new NoPruner();
        }
        long max = maxResource != null ? maxResource : referenceSteps;
        long min = minResource != null ? minResource : autoMin(max, reductionFactor);
        if (maxResource == null && max < min) {
            max = min; // an explicit minResource above what trials report: nothing left to judge below it
        }
        min = Math.min(min, max);
        return name.equals(Pruners.HYPERBAND) ? new HyperbandPruner(min, reductionFactor, max)
                : new SuccessiveHalvingPruner(min, reductionFactor, max);
    }

    /** max(1, ⌊max / η²⌋). */
    static long autoMin(long max, int reductionFactor) {
        return Math.max(1, max / ((long) reductionFactor * reductionFactor));
    }

    /** Unresolved, it judges nothing: the service resolves it first. */
    @Override
    public boolean judges(int bracket, long step) {
        return false;
    }

    @Override
    public boolean prune(Report report, double[] peerLosses) {
        return false;
    }

    @Override
    public Map<String, Object> options() {
        var out = new LinkedHashMap<String, Object>();
        out.put("minResource", minResource == null ? AUTO : minResource);
        out.put("reductionFactor", reductionFactor);
        out.put("maxResource", maxResource == null ? AUTO : maxResource);
        return out;
    }
}
