package dev.tellus.pruning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asynchronous successive halving (ASHA): rungs at steps {@code minResource·η^k} (below {@code maxResource}
 * when one is set). At a rung a trial continues only if its loss there ranks within the top
 * {@code max(1, ⌊n/η⌋)} of the n trials that reached the rung so far (itself included); it is never made
 * to wait for a promotion, so workers are never idle. Between rungs every report continues.
 */
public final class SuccessiveHalvingPruner implements Pruner {

    private final long minResource;
    private final int reductionFactor;
    private final Long maxResource;

    public SuccessiveHalvingPruner(long minResource, int reductionFactor, Long maxResource) {
        if (minResource < 1 || reductionFactor < 2 || (maxResource != null && maxResource < minResource)) {
            throw new IllegalArgumentException("minResource >= 1, reductionFactor >= 2, maxResource >= minResource");
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.maxResource = maxResource;
    }

    @Override
    public boolean judges(int bracket, long step) {
        return isRung(minResource, reductionFactor, maxResource, step);
    }

    /** Whether step is min·η^k for some k >= 0 and below max (a trial at max has finished: nothing to judge). */
    static boolean isRung(long min, int eta, Long max, long step) {
        if (step < min || (max != null && step >= max)) {
            return false;
        }
        long rung = min;
        while (rung < step && rung <= Long.MAX_VALUE / eta) {
            rung *= eta;
        }
        return rung == step;
    }

    @Override
    public boolean prune(Report report, double[] peerLosses) {
        return !promotable(report.loss(), peerLosses, reductionFactor);
    }

    /** Whether a loss ranks within the top max(1, ⌊n/η⌋) of the rung (n counts the trial itself); ties favour it. */
    static boolean promotable(double loss, double[] peerLosses, int eta) {
        int better = 0;
        for (double peer : peerLosses) {
            if (peer < loss) {
                better++;
            }
        }
        int keep = Math.max(1, (peerLosses.length + 1) / eta);
        return better < keep;
    }

    @Override
    public Map<String, Object> options() {
        return options(minResource, reductionFactor, maxResource);
    }

    /** The canonical options of successive halving and Hyperband, in this order. */
    static Map<String, Object> options(long minResource, int reductionFactor, Long maxResource) {
        var out = new LinkedHashMap<String, Object>();
        out.put("minResource", minResource);
        out.put("reductionFactor", reductionFactor);
        out.put("maxResource", maxResource);
        return out;
    }
}
