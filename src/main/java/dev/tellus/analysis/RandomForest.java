package dev.tellus.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A regression forest over points in the unit cube: bootstrap samples, every feature tried at every split,
 * trees grown until leaves are pure or hold {@link #MIN_LEAF} points. Each tree is kept as its leaves (a box
 * and a value), which is all functional ANOVA needs. Deterministic for a given seed.
 */
final class RandomForest {

    static final int MIN_LEAF = 2;
    static final int MAX_DEPTH = 32;

    /** An axis-aligned box of the unit cube and the mean objective of the training points in it. */
    record Leaf(double[] low, double[] high, double value) {
    }

    private RandomForest() {
    }

    /**
     * Grows the trees. {@code boundaries[f]} (NaN when none) is a position a split on feature f snaps to when the
     * two sides straddle it: the edge between a conditional parameter's active values and its inactive level.
     */
    static List<List<Leaf>> grow(double[][] x, double[] y, int trees, double[] boundaries, long seed) {
        var random = new SplittableRandom(seed);
        var forest = new ArrayList<List<Leaf>>(trees);
        int n = y.length;
        for (int t = 0; t < trees; t++) {
            int[] sample = new int[n];
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
            }
            int d = x.length == 0 ? 0 : x[0].length;
            double[] low = new double[d];
            double[] high = new double[d];
            Arrays.fill(high, 1.0);
            var leaves = new ArrayList<Leaf>();
            split(x, y, sample, low, high, 0, boundaries, leaves);
            forest.add(leaves);
        }
        return forest;
    }

    private static void split(double[][] x, double[] y, int[] rows, double[] low, double[] high, int depth,
                              double[] boundaries, List<Leaf> leaves) {
        double sum = 0;
        double sumSq = 0;
        for (int r : rows) {
            sum += y[r];
            sumSq += y[r] * y[r];
        }
        int n = rows.length;
        double mean = sum / n;
        double sse = sumSq - sum * mean;
        if (n < 2 * MIN_LEAF || depth >= MAX_DEPTH || sse <= 1e-12 * Math.max(1.0, Math.abs(sumSq))) {
            leaves.add(new Leaf(low.clone(), high.clone(), mean));
            return;
        }
        int bestFeature = -1;
        double bestGain = 0;
        double bestThreshold = 0;
        int d = low.length;
        Integer[] order = new Integer[n];
        for (int f = 0; f < d; f++) {
            for (int i = 0; i < n; i++) {
                order[i] = rows[i];
            }
            final int feature = f;
            Arrays.sort(order, (a, b) -> Double.compare(x[a][feature], x[b][feature]));
            double leftSum = 0;
            for (int i = 0; i < n - 1; i++) {
                leftSum += y[order[i]];
                int left = i + 1;
                double a = x[order[i]][f];
                double b = x[order[i + 1]][f];
                if (left < MIN_LEAF || n - left < MIN_LEAF || a == b) {
                    continue;
                }
                double rightSum = sum - leftSum;
                // SSE reduction of the split = leftSum²/left + rightSum²/right - sum²/n.
                double gain = leftSum * leftSum / left + rightSum * rightSum / (n - left) - sum * mean;
                if (gain > bestGain + 1e-12) {
                    bestGain = gain;
                    bestFeature = f;
                    double edge = boundaries[f];
                    bestThreshold = !Double.isNaN(edge) && a < edge && edge <= b ? edge : (a + b) / 2;
                }
            }
        }
        if (bestFeature < 0) {
            leaves.add(new Leaf(low.clone(), high.clone(), mean));
            return;
        }
        int f = bestFeature;
        double threshold = bestThreshold;
        int leftCount = 0;
        for (int r : rows) {
            if (x[r][f] < threshold) {
                leftCount++;
            }
        }
        int[] left = new int[leftCount];
        int[] right = new int[n - leftCount];
        int li = 0;
        int ri = 0;
        for (int r : rows) {
            if (x[r][f] < threshold) {
                left[li++] = r;
            } else {
                right[ri++] = r;
            }
        }
        double oldHigh = high[f];
        high[f] = threshold;
        split(x, y, left, low, high, depth + 1, boundaries, leaves);
        high[f] = oldHigh;
        double oldLow = low[f];
        low[f] = threshold;
        split(x, y, right, low, high, depth + 1, boundaries, leaves);
        low[f] = oldLow;
    }
}
