package dev.tellus.pruning;

import dev.tellus.strategy.support.TrialRandom;

import java.util.ArrayList;
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
    private final SuccessiveHalvingPruner[] brackets;
    private final double[] cumulativeWeights;

    public HyperbandPruner(long minResource, int reductionFactor, long maxResource) {
        if (minResource < 1 || reductionFactor < 2 || maxResource < minResource) {
            throw new IllegalArgumentException("minResource >= 1, reductionFactor >= 2, maxResource >= minResource");
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.maxResource = maxResource;
        var starts = new ArrayList<SuccessiveHalvingPruner>();
        for (long r = minResource; r <= maxResource; r *= reductionFactor) {
            starts.add(new SuccessiveHalvingPruner(r, reductionFactor, maxResource));
        }
        brackets = starts.toArray(SuccessiveHalvingPruner[]::new);
        // Bracket b has (brackets - 1 - b) halvings; Hyperband gives it about η^halvings / (halvings + 1) trials.
        cumulativeWeights = new double[brackets.length];
        double total = 0;
        for (int b = 0; b < brackets.length; b++) {
            int halvings = brackets.length - 1 - b;
            total += Math.pow(reductionFactor, halvings) / (halvings + 1);
            cumulativeWeights[b] = total;
        }
        for (int b = 0; b < brackets.length; b++) {
            cumulativeWeights[b] /= total;
        }
    }

    /** How many brackets this configuration has. */
    public int brackets() {
        return brackets.length;
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
        return brackets[bracket].judges(0, step);
    }

    /** The same rule in every bracket: the top 1/η of the rung continue. */
    @Override
    public boolean prune(Report report, double[] peerLosses) {
        return brackets[0].prune(report, peerLosses);
    }

    @Override
    public Map<String, Object> options() {
        return SuccessiveHalvingPruner.options(minResource, reductionFactor, maxResource);
    }
}
