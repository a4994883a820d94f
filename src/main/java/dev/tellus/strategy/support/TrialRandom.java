package dev.tellus.strategy.support;

import java.util.SplittableRandom;

/** Random sources derived from a study seed and a trial number, so proposals do not depend on ask batching. */
public final class TrialRandom {

    private TrialRandom() {
    }

    public static SplittableRandom of(long seed, long trialNumber) {
        return new SplittableRandom(mix(mix(seed) + 0x9E3779B97F4A7C15L * (trialNumber + 1)));
    }

    /** The SplitMix64 finaliser: nearby inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
