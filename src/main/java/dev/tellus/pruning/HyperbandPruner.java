package dev.tellus.pruning;

import dev.tellus.strategy.TrialRandom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperband as several ASHA brackets: bracket b starts its rungs at {@code minResource·η^b}, for
 * b = 0 .. ⌊log_η(max/min)⌋, so bracket 0 prunes most aggressively and the last prunes least. Each trial
 * is assigned a bracket from the study seed and its number (the same on every replica, for ever), with
 * Hyperband's weights (more trials where each costs less), and is compared only within its bracket.
 */
public final class HyperbandPruner implements Pruner {

    /** Separates the bracket draw from the strategy's draws for the same trial number. */
    private static final long SALT = 0x6A09E667F3BCC909L;

    private final long minResource;
    private final int reductionFactor;
    private final long maxResource;
    private final double[] cumulativeWeights;

    public HyperbandPruner(long minResource, int reductionFactor, long maxResource) {
        if (minResource < 1 || reductionFactor < 2 || maxResource < minResource) {
            throw new IllegalArgumentException("minResource >= 1, reductionFactor >= 2, maxResource >= minResource");
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.maxResource = maxResource;
        int brackets = 1;
        for (long r = minResource * reductionFactor; r <= maxResource; r *= reductionFactor) {
            brackets++;
        }
        // Bracket b has (brackets - 1 - b) halvings; Hyperband gives it about η^halvings / (halvings + 1) trials.
        cumulativeWeights = new double[brackets];
        double total = 0;
        for (int b = 0; b < brackets; b++) {
            int halvings = brackets - 1 - b;
            total += Math.pow(reductionFactor, halvings) / (halvings + 1);
            cumulativeWeights[b] = total;
        }
        for (int b = 0; b < brackets; b++) {
            cumulativeWeights[b] /= total;
        }
    }

    /** How many brackets this configuration has. */
    public int brackets() {
        return cumulativeWeights.length;
    }

    @Override
    public int bracket(long seed, long trial) {
        double u = TrialRandom.of(seed ^ SALT, trial).nextDouble();
        for (int b = 0; b < cumulativeWeights.length - 1; b++) {
            if (u < cumulativeWeights[b]) {
                return b;
            }
        }
        return cumulativeWeights.length - 1;
    }

    @Override
    public boolean judges(int bracket, long step) {
        return SuccessiveHalvingPruner.isRung(minResource * (long) Math.pow(reductionFactor, bracket), reductionFactor,
                maxResource, step);
    }

    @Override
    public boolean prune(Report report, double[] peerLosses) {
        return !SuccessiveHalvingPruner.promotable(report.loss(), peerLosses, reductionFactor);
    }

    @Override
    public Map<String, Object> options() {
        var out = new LinkedHashMap<String, Object>();
        out.put("minResource", minResource);
        out.put("reductionFactor", reductionFactor);
        out.put("maxResource", maxResource);
        return out;
    }
}
