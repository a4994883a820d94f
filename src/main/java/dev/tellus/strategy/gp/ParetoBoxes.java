package dev.tellus.strategy.gp;

import dev.tellus.strategy.support.Normal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The region a front does not dominate (below a reference point, all objectives minimised), cut into disjoint
 * boxes, and the log expected hypervolume improvement of a new point whose objectives are independent Gaussians.
 *
 * <p>Decomposition, for 1 to 3 objectives: the coordinates the front's points take on every objective but the last
 * cut those axes into a grid (from minus infinity to the reference); inside one grid cell a point is dominated
 * exactly when its last objective reaches the smallest last objective among the front points at or below the
 * cell's lower corner, so the cell's non-dominated part is one box, open below on the last axis. Neighbouring cells
 * of the middle axis with the same top are merged. With n points: n + 1 boxes for two objectives, at most (n + 1)²
 * for three.
 *
 * <p>Improvement: a new point y adds the volume of [y, reference] that lies in the boxes, Σ_boxes Π_j (u_j −
 * max(l_j, y_j))₊, and since (u − max(l, Y))₊ = (u − Y)₊ − (l − Y)₊ and the objectives are independent, its
 * expectation is a sum over boxes of products of one-dimensional terms E[(b − Y_j)₊] = σ (zΦ(z) + φ(z)). Everything
 * is summed in log space, so far from the front, where the improvement underflows, the acquisition still has a
 * slope (as log EI has for one objective).
 */
final class ParetoBoxes {

    private final int m;
    /** Per axis but the last: the grid coordinates, starting at minus infinity and ending at the reference. */
    private final double[][] grid;
    /** Per box: the grid interval on each axis but the last ([from, to) indices into grid), and its top. */
    private final int[][] from;
    private final int[][] to;
    private final double[] top;

    /**
     * @param points    the front (dominated points and points not below the reference are ignored)
     * @param reference the reference point, one coordinate per objective (1 to 3)
     */
    ParetoBoxes(List<double[]> points, double[] reference) {
        this.m = reference.length;
        if (m < 1 || m > 3) {
            throw new IllegalArgumentException("1 to 3 objectives, not " + m);
        }
        var inside = new ArrayList<double[]>();
        for (double[] p : points) {
            boolean in = true;
            for (int j = 0; j < m; j++) {
                in &= p[j] < reference[j];
            }
            if (in) {
                inside.add(p);
            }
        }
        grid = new double[m - 1][];
        for (int j = 0; j < m - 1; j++) {
            final int axis = j;
            double[] coordinates = inside.stream().mapToDouble(p -> p[axis]).sorted().distinct().toArray();
            double[] g = new double[coordinates.length + 2];
            g[0] = Double.NEGATIVE_INFINITY;
            System.arraycopy(coordinates, 0, g, 1, coordinates.length);
            g[g.length - 1] = reference[j];
            grid[j] = g;
        }
        var froms = new ArrayList<int[]>();
        var tos = new ArrayList<int[]>();
        var tops = new ArrayList<Double>();
        if (m == 1) {
            double best = reference[0];
            for (double[] p : inside) {
                best = Math.min(best, p[0]);
            }
            froms.add(new int[0]);
            tos.add(new int[0]);
            tops.add(best);
        } else if (m == 2) {
            for (int i = 0; i + 1 < grid[0].length; i++) {
                double t = topAt(inside, new double[] {grid[0][i]}, reference[1]);
                froms.add(new int[] {i});
                tos.add(new int[] {i + 1});
                tops.add(t);
            }
        } else {
            for (int i = 0; i + 1 < grid[0].length; i++) {
                int start = 0;
                double current = topAt(inside, new double[] {grid[0][i], grid[1][0]}, reference[2]);
                for (int k = 1; k + 1 < grid[1].length; k++) {
                    double t = topAt(inside, new double[] {grid[0][i], grid[1][k]}, reference[2]);
                    if (t != current) {
                        froms.add(new int[] {i, start});
                        tos.add(new int[] {i + 1, k});
                        tops.add(current);
                        start = k;
                        current = t;
                    }
                }
                froms.add(new int[] {i, start});
                tos.add(new int[] {i + 1, grid[1].length - 1});
                tops.add(current);
            }
        }
        from = froms.toArray(int[][]::new);
        to = tos.toArray(int[][]::new);
        top = tops.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The smallest last objective among the points at or below the corner on the other axes (else the reference). */
    private static double topAt(List<double[]> points, double[] corner, double reference) {
        double t = reference;
        int last = corner.length;
        for (double[] p : points) {
            boolean below = true;
            for (int j = 0; j < last; j++) {
                below &= p[j] <= corner[j];
            }
            if (below) {
                t = Math.min(t, p[last]);
            }
        }
        return t;
    }

    int boxes() {
        return top.length;
    }

    /** The exact volume of the boxes clipped to [lower, ∞): the hypervolume improvement of a point y (for tests). */
    double improvement(double[] y) {
        double total = 0;
        for (int b = 0; b < top.length; b++) {
            double v = Math.max(0, top[b] - y[m - 1]);
            for (int j = 0; j < m - 1 && v > 0; j++) {
                v *= Math.max(0, grid[j][to[b][j]] - Math.max(grid[j][from[b][j]], y[j]));
            }
            total += v;
        }
        return total;
    }

    /**
     * log E[improvement] for independent Y_j ~ N(mean_j, sd_j²); minus infinity only when no box is left.
     *
     * @param work scratch of at least {@link #workSize()} doubles
     */
    double logExpectedImprovement(double[] mean, double[] sd, double[] work) {
        // log E[(b − Y_j)₊] at every grid coordinate of the first axes, written into work.
        int offset = 0;
        int[] base = new int[Math.max(0, m - 1)];
        for (int j = 0; j < m - 1; j++) {
            base[j] = offset;
            for (int k = 0; k < grid[j].length; k++) {
                work[offset + k] = logPositivePart(grid[j][k], mean[j], sd[j]);
            }
            offset += grid[j].length;
        }
        int termsAt = offset;
        int count = top.length;
        for (int b = 0; b < count; b++) {
            work[termsAt + b] = logPositivePart(top[b], mean[m - 1], sd[m - 1]);
        }
        // Fast path: each axis scaled by its largest term (at the reference), the boxes summed in linear space.
        // Only when that underflows (a candidate far behind the front) is every box summed in log space.
        double scale = 0;
        double[] largest = new double[m];
        for (int j = 0; j < m - 1; j++) {
            largest[j] = work[base[j] + grid[j].length - 1];
            scale += largest[j];
        }
        double topLargest = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < count; b++) {
            topLargest = Math.max(topLargest, work[termsAt + b]);
        }
        scale += topLargest;
        if (Double.isFinite(scale)) {
            int scaledAt = termsAt + count;
            for (int j = 0; j < m - 1; j++) {
                for (int k = 0; k < grid[j].length; k++) {
                    work[scaledAt + base[j] + k] = Math.exp(work[base[j] + k] - largest[j]);
                }
            }
            double total = 0;
            for (int b = 0; b < count; b++) {
                double v = Math.exp(work[termsAt + b] - topLargest);
                for (int j = 0; j < m - 1 && v > 0; j++) {
                    int at = scaledAt + base[j];
                    v *= work[at + to[b][j]] - work[at + from[b][j]];
                }
                total += Math.max(0, v);
            }
            if (total > 1e-250) {
                return scale + Math.log(total);
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < count; b++) {
            double s = work[termsAt + b];
            for (int j = 0; j < m - 1 && s > Double.NEGATIVE_INFINITY; j++) {
                int lo = from[b][j];
                int hi = to[b][j];
                s += logInterval(work[base[j] + hi], work[base[j] + lo], grid[j][lo], grid[j][hi], mean[j], sd[j]);
            }
            work[termsAt + b] = s;
            max = Math.max(max, s);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int b = 0; b < count; b++) {
            sum += Math.exp(work[termsAt + b] - max);
        }
        return max + Math.log(sum);
    }

    /** Scratch needed by {@link #logExpectedImprovement}. */
    int workSize() {
        int n = top.length;
        for (double[] g : grid) {
            n += 2 * g.length;
        }
        return n;
    }

    /** log E[(b − Y)₊] for Y ~ N(mean, sd²); minus infinity for b = −∞. */
    static double logPositivePart(double b, double mean, double sd) {
        if (b == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        return GaussianProcessSearch.logExpectedImprovement(mean, sd * sd, b);
    }

    /**
     * log E[(u − max(l, Y))₊] = log(E[(u − Y)₊] − E[(l − Y)₊]) from the two logs; where the difference cancels
     * numerically, its lower bound (u − l) P(Y ≤ l) plus the part above l estimated at its mean is used instead.
     */
    static double logInterval(double logUpper, double logLower, double l, double u, double mean, double sd) {
        if (logLower == Double.NEGATIVE_INFINITY) {
            return logUpper;
        }
        double d = logLower - logUpper;
        if (d < -1e-6) {
            return logUpper + Math.log1p(-Math.exp(d));
        }
        // Deep in the tail: Y is almost surely above u; the improvement is (u − l) P(Y ≤ l) plus the part between.
        return Math.log(u - l) + logCdf((l - mean) / sd);
    }

    /** log Φ(z), accurate in the far lower tail. */
    static double logCdf(double z) {
        if (z > -5) {
            return Math.log(Normal.cdf(z));
        }
        double z2 = z * z;
        return -0.5 * z2 - 0.5 * Math.log(2 * Math.PI) - Math.log(-z) + Math.log1p(-1 / z2 + 3 / (z2 * z2));
    }

    @Override
    public String toString() {
        return "ParetoBoxes[" + m + " objectives, " + top.length + " boxes, grid " + Arrays.deepToString(grid) + "]";
    }
}
