package dev.tellus.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A regression forest over points in the unit cube: bootstrap samples, every feature tried at every split,
 * trees grown until leaves are pure or hold {@link #MIN_LEAF} points. Each tree is kept as its leaves (a box
 * and a value), which is all functional ANOVA needs. Deterministic for a given seed.
 * <p>
 * Each feature's order is sorted once per tree and split stably at every node (CART with presorting), so a
 * tree costs features × samples × depth rather than a sort at every node.
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
        int d = x.length == 0 ? 0 : x[0].length;
        // Every feature's order over all rows, sorted once; a tree's order is this order filtered to its sample.
        int[][] rowOrder = new int[d][];
        for (int f = 0; f < d; f++) {
            final int feature = f;
            rowOrder[f] = java.util.stream.IntStream.range(0, n).boxed()
                    .sorted((a, b) -> Double.compare(x[a][feature], x[b][feature])).mapToInt(Integer::intValue).toArray();
        }
        for (int t = 0; t < trees; t++) {
            int[] copies = new int[n];
            for (int i = 0; i < n; i++) {
                copies[random.nextInt(n)]++;
            }
            // Samples are (row, copy) pairs laid out per feature in sorted order; a sample is its row here.
            int[][] order = new int[d][n];
            for (int f = 0; f < d; f++) {
                int k = 0;
                for (int row : rowOrder[f]) {
                    for (int c = 0; c < copies[row]; c++) {
                        order[f][k++] = row;
                    }
                }
            }
            var tree = new Tree(x, y, boundaries, d, n);
            double[] low = new double[d];
            double[] high = new double[d];
            Arrays.fill(high, 1.0);
            tree.split(order, 0, n, low, high, 0);
            forest.add(tree.leaves);
        }
        return forest;
    }

    private static final class Tree {
        final double[][] x;
        final double[] y;
        final double[] boundaries;
        final int d;
        final List<Leaf> leaves = new ArrayList<>();
        final int[] scratch;
        final boolean[] goesLeft;

        Tree(double[][] x, double[] y, double[] boundaries, int d, int n) {
            this.x = x;
            this.y = y;
            this.boundaries = boundaries;
            this.d = d;
            this.scratch = new int[n];
            this.goesLeft = new boolean[y.length];
        }

        /** Splits the samples at [start, end) of every feature's order (the same samples, each in its order). */
        void split(int[][] order, int start, int end, double[] low, double[] high, int depth) {
            int n = end - start;
            int[] any = order[0];
            double sum = 0;
            double sumSq = 0;
            for (int i = start; i < end; i++) {
                double v = y[any[i]];
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / n;
            double sse = sumSq - sum * mean;
            if (n < 2 * MIN_LEAF || depth >= MAX_DEPTH || sse <= 1e-12 * Math.max(1.0, Math.abs(sumSq))) {
                leaves.add(new Leaf(low.clone(), high.clone(), mean));
                return;
            }
            int bestFeature = -1;
            double bestGain = 0;
            double bestThreshold = 0;
            for (int f = 0; f < d; f++) {
                int[] o = order[f];
                double leftSum = 0;
                for (int i = start; i < end - 1; i++) {
                    leftSum += y[o[i]];
                    int left = i + 1 - start;
                    double a = x[o[i]][f];
                    double b = x[o[i + 1]][f];
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
            for (int i = start; i < end; i++) {
                int row = order[f][i];
                boolean left = x[row][f] < threshold;
                goesLeft[row] = left;
                if (left) {
                    leftCount++;
                }
            }
            // Stable partition of every feature's segment: left samples first, each side still sorted.
            for (int g = 0; g < d; g++) {
                int[] o = order[g];
                int li = start;
                int ri = 0;
                for (int i = start; i < end; i++) {
                    int row = o[i];
                    if (goesLeft[row]) {
                        o[li++] = row;
                    } else {
                        scratch[ri++] = row;
                    }
                }
                System.arraycopy(scratch, 0, o, li, ri);
            }
            int mid = start + leftCount;
            double oldHigh = high[f];
            high[f] = threshold;
            split(order, start, mid, low, high, depth + 1);
            high[f] = oldHigh;
            double oldLow = low[f];
            low[f] = threshold;
            split(order, mid, end, low, high, depth + 1);
            low[f] = oldLow;
        }
    }
}
