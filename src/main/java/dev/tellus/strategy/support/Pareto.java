package dev.tellus.strategy.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto arithmetic on loss vectors (every objective made "smaller is better"): dominance, Deb's constrained
 * dominance, non-dominated sorting, crowding distance and the exact hypervolume. Shared by the multi-objective
 * strategies and the service's {@code best} and study summary.
 */
public final class Pareto {

    private Pareto() {
    }

    /** a dominates b: no worse in every objective and better in at least one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            if (a[i] < b[i]) {
                better = true;
            }
        }
        return better;
    }

    /**
     * Deb's constrained dominance: a feasible point (violation 0) dominates an infeasible one; of two infeasible
     * points the one that violates less dominates; two feasible points compare by plain dominance.
     */
    public static boolean constrainedDominates(double[] a, double violationA, double[] b, double violationB) {
        if (violationA <= 0 && violationB <= 0) {
            return dominates(a, b);
        }
        if (violationA <= 0) {
            return true;
        }
        if (violationB <= 0) {
            return false;
        }
        return violationA < violationB;
    }

    /** The sum of the positive constraint values: 0 when feasible (or when there are none). */
    public static double violation(double[] constraints) {
        double sum = 0;
        if (constraints != null) {
            for (double c : constraints) {
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    /**
     * Fast non-dominated sorting (Deb et al. 2002) under constrained dominance: the fronts, best first, each a
     * list of indices in increasing order. Pass null violations for an unconstrained sort.
     */
    public static List<List<Integer>> fronts(double[][] losses, double[] violations) {
        int n = losses.length;
        double[] v = violations == null ? new double[n] : violations;
        var dominated = new ArrayList<List<Integer>>(n);
        int[] count = new int[n];
        for (int i = 0; i < n; i++) {
            dominated.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (constrainedDominates(losses[i], v[i], losses[j], v[j])) {
                    dominated.get(i).add(j);
                    count[j]++;
                } else if (constrainedDominates(losses[j], v[j], losses[i], v[i])) {
                    dominated.get(j).add(i);
                    count[i]++;
                }
            }
        }
        var out = new ArrayList<List<Integer>>();
        var current = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            if (count[i] == 0) {
                current.add(i);
            }
        }
        while (!current.isEmpty()) {
            out.add(current);
            var next = new ArrayList<Integer>();
            for (int i : current) {
                for (int j : dominated.get(i)) {
                    if (--count[j] == 0) {
                        next.add(j);
                    }
                }
            }
            next.sort(null);
            current = next;
        }
        return out;
    }

    /**
     * Crowding distance of each member of one front (indices into losses), in the front's order: the sum over
     * objectives of the normalised gap between its two neighbours; the extremes of any objective get infinity.
     */
    public static double[] crowding(double[][] losses, List<Integer> front) {
        int size = front.size();
        double[] out = new double[size];
        if (size == 0) {
            return out;
        }
        int m = losses[front.get(0)].length;
        Integer[] order = new Integer[size];
        for (int k = 0; k < m; k++) {
            final int obj = k;
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            // Ties keep front order, so the distances do not depend on a sort's whims.
            Arrays.sort(order, Comparator.comparingDouble(i -> losses[front.get(i)][obj]));
            double lo = losses[front.get(order[0])][obj];
            double hi = losses[front.get(order[size - 1])][obj];
            out[order[0]] = Double.POSITIVE_INFINITY;
            out[order[size - 1]] = Double.POSITIVE_INFINITY;
            if (hi - lo <= 0) {
                continue;
            }
            for (int i = 1; i < size - 1; i++) {
                out[order[i]] += (losses[front.get(order[i + 1])][obj] - losses[front.get(order[i - 1])][obj]) / (hi - lo);
            }
        }
        return out;
    }

    /**
     * The exact hypervolume dominated by the points and bounded by the reference point (all minimised); points
     * that do not dominate the reference in every objective add nothing. Two objectives: a sweep; more: slicing
     * along the last objective (fine for the few hundred points of a study's front).
     */
    public static double hypervolume(List<double[]> points, double[] reference) {
        var inside = new ArrayList<double[]>();
        for (double[] p : points) {
            boolean in = true;
            for (int i = 0; i < reference.length; i++) {
                in &= p[i] < reference[i];
            }
            if (in) {
                inside.add(p);
            }
        }
        return volume(inside, reference, reference.length);
    }

    private static double volume(List<double[]> points, double[] reference, int dims) {
        if (points.isEmpty()) {
            return 0;
        }
        if (dims == 1) {
            double best = reference[0];
            for (double[] p : points) {
                best = Math.min(best, p[0]);
            }
            return reference[0] - best;
        }
        if (dims == 2) {
            var sorted = new ArrayList<>(points);
            sorted.sort(Comparator.comparingDouble((double[] p) -> p[0]).thenComparingDouble(p -> p[1]));
            double area = 0;
            double bestY = reference[1];
            for (double[] p : sorted) {
                if (p[1] < bestY) {
                    area += (reference[0] - p[0]) * (bestY - p[1]);
                    bestY = p[1];
                }
            }
            return area;
        }
        int last = dims - 1;
        var sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(p -> p[last]));
        double total = 0;
        var slab = new ArrayList<double[]>();
        for (int i = 0; i < sorted.size(); i++) {
            slab.add(sorted.get(i));
            double top = i + 1 < sorted.size() ? sorted.get(i + 1)[last] : reference[last];
            double height = top - sorted.get(i)[last];
            if (height > 0) {
                total += height * volume(nonDominated(slab, last), reference, last);
            }
        }
        return total;
    }

    /** The points of a slab not dominated in their first dims coordinates (keeps the recursion small). */
    private static List<double[]> nonDominated(List<double[]> points, int dims) {
        var out = new ArrayList<double[]>();
        for (double[] p : points) {
            boolean dominated = false;
            for (double[] q : points) {
                if (q != p && weaklyBetter(q, p, dims)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean weaklyBetter(double[] q, double[] p, int dims) {
        boolean strictly = false;
        for (int i = 0; i < dims; i++) {
            if (q[i] > p[i]) {
                return false;
            }
            strictly |= q[i] < p[i];
        }
        return strictly;
    }
}
