package dev.tellus.analysis;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which points of a long series to draw when there are more than a plot needs. Everything a reader looks for is
 * kept (every improvement of the best so far, the extremes, the best points), and the rest is an evenly spaced
 * sample, so the shape of the cloud stays and the same input always gives the same choice.
 */
public final class Downsampling {

    private Downsampling() {
    }

    /**
     * The indices to keep of an optimisation history, in order. {@code losses} are in trial order, lower is
     * better (NaN for a trial without a value: never kept here). Every strict improvement of the best so far is
     * kept, and the lowest and highest value, even past the budget; the rest of the budget is an even sample.
     */
    public static int[] history(double[] losses, int budget) {
        int n = losses.length;
        var keep = new BitSet(n);
        double best = Double.POSITIVE_INFINITY;
        int lowest = -1;
        int highest = -1;
        int valued = 0;
        for (int i = 0; i < n; i++) {
            double v = losses[i];
            if (Double.isNaN(v)) {
                continue;
            }
            valued++;
            if (v < best) {
                best = v;
                keep.set(i);
                lowest = i;
            }
            if (highest < 0 || v > losses[highest]) {
                highest = i;
            }
        }
        if (highest >= 0) {
            keep.set(highest);
        }
        if (lowest >= 0) {
            keep.set(lowest);
        }
        fillEvenly(losses, keep, budget, valued);
        return keep.stream().toArray();
    }

    /**
     * The indices to keep of a cloud of points for parallel coordinates or slices: the {@code best} lowest losses,
     * then an even sample of the others up to the budget. NaN losses are never kept.
     */
    public static int[] bestAndSample(double[] losses, int best, int budget) {
        int n = losses.length;
        var keep = new BitSet(n);
        // The best `best` by a primitive sort of the values (boxing 50,000 indices costs more than the sort).
        double[] sorted = new double[n];
        int valued = 0;
        for (double v : losses) {
            if (!Double.isNaN(v)) {
                sorted[valued++] = v;
            }
        }
        int take = Math.min(best, valued);
        if (take > 0) {
            Arrays.sort(sorted, 0, valued);
            double cutoff = sorted[take - 1];
            int strictlyBetter = 0;
            for (int i = 0; i < n; i++) {
                if (losses[i] < cutoff) {
                    keep.set(i);
                    strictlyBetter++;
                }
            }
            // Ties at the cutoff: the earliest ones, up to `take` in all.
            for (int i = 0; i < n && strictlyBetter < take; i++) {
                if (losses[i] == cutoff) {
                    keep.set(i);
                    strictlyBetter++;
                }
            }
        }
        fillEvenly(losses, keep, budget, valued);
        return keep.stream().toArray();
    }

    /**
     * An even sample of the indices 0..n-1 (all of them when n fits the budget), always with the first and the last.
     */
    public static int[] evenly(int n, int budget) {
        if (n <= budget) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        var keep = new BitSet(n);
        for (int k = 0; k < budget; k++) {
            keep.set((int) Math.round((double) k * (n - 1) / Math.max(1, budget - 1)));
        }
        return keep.stream().toArray();
    }

    /** Adds evenly spaced valued indices until the budget is met (nothing when the kept ones already fill it). */
    private static void fillEvenly(double[] losses, BitSet keep, int budget, int valued) {
        int room = budget - keep.cardinality();
        if (room <= 0) {
            return;
        }
        if (valued <= budget) {
            for (int i = 0; i < losses.length; i++) {
                if (!Double.isNaN(losses[i])) {
                    keep.set(i);
                }
            }
            return;
        }
        // Every stride-th of the valued points not yet kept: exactly `room` more, spread over the whole series.
        int candidates = valued - keep.cardinality();
        double stride = (double) candidates / room;
        double next = 0;
        int seen = 0;
        for (int i = 0; i < losses.length && room > 0; i++) {
            if (Double.isNaN(losses[i]) || keep.get(i)) {
                continue;
            }
            if (seen >= next) {
                keep.set(i);
                room--;
                next += stride;
            }
            seen++;
        }
    }
}
