package dev.tellus.pruning;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops a trial whose best loss so far is worse than the given percentile of the losses other trials
 * recorded at the same step ({@code median} is the 50th percentile). Judged only from {@code warmupSteps}
 * on, every {@code interval} steps, and only once at least {@code startupTrials} other trials recorded that
 * step. The best loss so far (not the latest) is compared, so one noisy step does not stop a good trial.
 */
public final class PercentilePruner implements Pruner {

    private final String name;
    private final double percentile;
    private final int startupTrials;
    private final long warmupSteps;
    private final long interval;

    public PercentilePruner(String name, double percentile, int startupTrials, long warmupSteps, long interval) {
        if (!(percentile >= 0 && percentile <= 100) || startupTrials < 0 || warmupSteps < 0 || interval < 1) {
            throw new IllegalArgumentException("percentile in [0, 100], startupTrials >= 0, warmupSteps >= 0, interval >= 1");
        }
        this.name = name;
        this.percentile = percentile;
        this.startupTrials = startupTrials;
        this.warmupSteps = warmupSteps;
        this.interval = interval;
    }

    @Override
    public boolean judges(int bracket, long step) {
        return step >= warmupSteps && (step - warmupSteps) % interval == 0;
    }

    @Override
    public boolean prune(Report report, double[] peerLosses) {
        if (peerLosses.length == 0 || peerLosses.length < startupTrials) {
            return false;
        }
        return report.bestLoss() > quantile(peerLosses, percentile / 100);
    }

    /** The q-quantile with linear interpolation between order statistics. */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    @Override
    public Map<String, Object> options() {
        var out = new LinkedHashMap<String, Object>();
        if (name.equals(Pruners.PERCENTILE)) {
            out.put("percentile", percentile);
        }
        out.put("startupTrials", startupTrials);
        out.put("warmupSteps", warmupSteps);
        out.put("interval", interval);
        return out;
    }
}
