package dev.tellus.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * Functional ANOVA of a piecewise-constant function over the unit cube (Hutter, Hoos and Leyton-Brown 2014):
 * the variance of each feature's main effect, the function averaged over every other feature under the
 * uniform measure. For a tree this is exact: its leaves are boxes, so each main effect is a step function.
 */
final class FunctionalAnova {

    private FunctionalAnova() {
    }

    /**
     * Each feature's main-effect variance as a fraction of the tree's total variance (zeros for a constant tree).
     */
    static double[] mainEffectShares(List<RandomForest.Leaf> leaves, int features) {
        double mean = 0;
        for (var leaf : leaves) {
            mean += volume(leaf) * leaf.value();
        }
        double total = 0;
        for (var leaf : leaves) {
            double diff = leaf.value() - mean;
            total += volume(leaf) * diff * diff;
        }
        double[] shares = new double[features];
        if (total <= 0) {
            return shares;
        }
        for (int f = 0; f < features; f++) {
            shares[f] = mainEffectVariance(leaves, f, mean) / total;
        }
        return shares;
    }

    /**
     * The main effect along feature f is constant between consecutive leaf edges on f: each leaf adds
     * value × (its volume in the other features) over its extent on f. A difference array over the sorted edges
     * sums every leaf's contribution in one pass.
     */
    private static double mainEffectVariance(List<RandomForest.Leaf> leaves, int f, double mean) {
        double[] edges = new double[leaves.size() * 2];
        int k = 0;
        for (var leaf : leaves) {
            edges[k++] = leaf.low()[f];
            edges[k++] = leaf.high()[f];
        }
        Arrays.sort(edges);
        int unique = 0;
        for (int i = 0; i < edges.length; i++) {
            if (i == 0 || edges[i] != edges[unique - 1]) {
                edges[unique++] = edges[i];
            }
        }
        double[] delta = new double[unique];
        for (var leaf : leaves) {
            double width = leaf.high()[f] - leaf.low()[f];
            if (width <= 0) {
                continue;
            }
            double contribution = leaf.value() * volume(leaf) / width;
            delta[Arrays.binarySearch(edges, 0, unique, leaf.low()[f])] += contribution;
            delta[Arrays.binarySearch(edges, 0, unique, leaf.high()[f])] -= contribution;
        }
        double variance = 0;
        double effect = 0;
        for (int i = 0; i < unique - 1; i++) {
            effect += delta[i];
            double diff = effect - mean;
            variance += (edges[i + 1] - edges[i]) * diff * diff;
        }
        return variance;
    }

    private static double volume(RandomForest.Leaf leaf) {
        double v = 1;
        for (int i = 0; i < leaf.low().length; i++) {
            v *= leaf.high()[i] - leaf.low()[i];
        }
        return v;
    }
}
