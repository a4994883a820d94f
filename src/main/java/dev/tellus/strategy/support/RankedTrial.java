package dev.tellus.strategy.support;

import dev.tellus.history.Direction;
import dev.tellus.history.Observation;
import dev.tellus.strategy.AskContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A finished trial as model-based strategies rank it: a loss ("smaller is better") and a tier. The rule for trials
 * without a clean result: COMPLETED trials with finite values are tier 0; PRUNED trials are tier 1 (ranked after
 * every completed trial, since they were stopped for looking worse, and among themselves by their last
 * intermediate value when they have one); COMPLETED trials whose values are not finite and PRUNED trials without a
 * value are tier 2, the worst. FAILED trials say nothing about the objective and are left out.
 *
 * <p>Constraints (Deb's feasibility rule, as c-TPE and Optuna rank them): a completed trial that violates a
 * constraint is tier 1 and ranks after every feasible one, by its violation (the sum of its positive constraint
 * values): its loss is the worst feasible loss plus its violation, so a model of the loss sees it as worse than any
 * feasible trial, and more so the more it violates.
 *
 * <p>Several objectives: {@link #bestFirst} ranks completed trials by non-dominated sorting under constrained
 * dominance, and within a front by hypervolume contribution (MOTPE's rule: the front's members that add most to
 * what the front covers come first); the loss is the front index. {@link #scalarised} instead turns the objectives
 * into one loss with weights drawn per ask (ParEGO's augmented Chebyshev scalarisation), for models of one value.
 */
public record RankedTrial(Observation observation, int tier, double loss) {

    /** Best first: by tier, then loss, then trial number (so ties break the same way on every replica). */
    public static final Comparator<RankedTrial> BEST_FIRST = (a, b) -> {
        // Written out rather than chained (comparingInt().thenComparingDouble()...): the same order, a third of the
        // cost when a thousand trials are ranked on every ask.
        int byTier = Integer.compare(a.tier, b.tier);
        if (byTier != 0) {
            return byTier;
        }
        int byLoss = Double.compare(a.loss, b.loss);
        return byLoss != 0 ? byLoss : Long.compare(a.observation.number(), b.observation.number());
    };

    /** The weight of the sum in the augmented Chebyshev scalarisation (Knowles 2006). */
    static final double AUGMENTATION = 0.05;
    /** Fronts larger than this are ordered by crowding distance instead of hypervolume contribution (cost). */
    static final int MAX_CONTRIBUTION_FRONT = 64;

    /** The usable finished trials of the context's history, best first. */
    public static List<RankedTrial> bestFirst(AskContext context) {
        if (context.directions().size() > 1) {
            return byFronts(context);
        }
        Direction direction = context.directions().isEmpty() ? Direction.MINIMIZE : context.directions().get(0);
        return ranked(context, o -> direction.toLoss(o.value()));
    }

    /**
     * The usable finished trials with their objectives scalarised by weights drawn from {@code random}: each
     * objective normalised to [0, 1] over the completed trials, then max(w·f) + 0.05 Σ w·f. One objective: as
     * {@link #bestFirst}.
     */
    public static List<RankedTrial> scalarised(AskContext context, SplittableRandom random) {
        if (context.directions().size() <= 1) {
            return bestFirst(context);
        }
        return rankedBy(context, scalarisation(context, random));
    }

    /** The usable finished trials ranked by one loss per trial (NaN when it has none), under the rule above. */
    public static List<RankedTrial> rankedBy(AskContext context, java.util.function.ToDoubleFunction<Observation> loss) {
        return ranked(context, loss::applyAsDouble);
    }

    /**
     * The augmented Chebyshev scalarisation {@link #scalarised} ranks by, as a function of a trial (NaN when its
     * objectives are missing or not finite): weights drawn from {@code random} uniformly on the simplex, each
     * objective normalised to [0, 1] over the completed trials, then max(w·f) + 0.05 Σ w·f. Constraints play no part.
     */
    public static java.util.function.ToDoubleFunction<Observation> scalarisation(AskContext context, SplittableRandom random) {
        int m = context.directions().size();
        double[] lo = new double[m];
        double[] hi = new double[m];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (Observation o : context.history().finished()) {
            double[] f = losses(o, context.directions());
            if (f != null) {
                for (int k = 0; k < m; k++) {
                    lo[k] = Math.min(lo[k], f[k]);
                    hi[k] = Math.max(hi[k], f[k]);
                }
            }
        }
        // Uniform on the simplex: normalised exponential draws.
        double[] w = new double[m];
        double sum = 0;
        for (int k = 0; k < m; k++) {
            w[k] = -Math.log(1 - random.nextDouble());
            sum += w[k];
        }
        for (int k = 0; k < m; k++) {
            w[k] /= sum;
        }
        List<Direction> directions = context.directions();
        return o -> {
            double[] f = losses(o, directions);
            if (f == null) {
                return Double.NaN;
            }
            double max = Double.NEGATIVE_INFINITY;
            double total = 0;
            for (int k = 0; k < m; k++) {
                double range = hi[k] - lo[k];
                double v = w[k] * (range > 0 ? (f[k] - lo[k]) / range : 0);
                max = Math.max(max, v);
                total += v;
            }
            return max + AUGMENTATION * total;
        };
    }

    /** The objective values made "smaller is better", or null when they are missing or not finite. */
    public static double[] losses(Observation o, List<Direction> directions) {
        double[] v = o.values();
        if (v == null || v.length < directions.size()) {
            return null;
        }
        double[] out = new double[directions.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = directions.get(k).toLoss(v[k]);
            if (!Double.isFinite(out[k])) {
                return null;
            }
        }
        return out;
    }

    private interface Scalar {
        double of(Observation o);
    }

    private static List<RankedTrial> ranked(AskContext context, Scalar scalar) {
        var out = new ArrayList<RankedTrial>();
        var infeasible = new ArrayList<Observation>();
        double worstFeasible = Double.NEGATIVE_INFINITY;
        for (Observation o : context.history().finished()) {
            double loss = scalar.of(o);
            switch (o.status()) {
                case COMPLETED -> {
                    if (!Double.isFinite(loss)) {
                        out.add(new RankedTrial(o, 2, Double.POSITIVE_INFINITY));
                    } else if (Pareto.violation(o.constraints()) > 0) {
                        infeasible.add(o);
                    } else {
                        out.add(new RankedTrial(o, 0, loss));
                        worstFeasible = Math.max(worstFeasible, loss);
                    }
                }
                case PRUNED -> out.add(Double.isFinite(loss)
                        ? new RankedTrial(o, 1, loss) : new RankedTrial(o, 2, Double.POSITIVE_INFINITY));
                default -> {
                    // FAILED (or anything unfinished that slipped in): no information about the objective.
                }
            }
        }
        double base = Double.isFinite(worstFeasible) ? worstFeasible : 0;
        for (Observation o : infeasible) {
            out.add(new RankedTrial(o, 1, base + Pareto.violation(o.constraints())));
        }
        out.sort(BEST_FIRST);
        return out;
    }

    private static List<RankedTrial> byFronts(AskContext context) {
        var usable = new ArrayList<Observation>();
        var points = new ArrayList<double[]>();
        var out = new ArrayList<RankedTrial>();
        for (Observation o : context.history().finished()) {
            double[] f = losses(o, context.directions());
            if (o.status() == dev.tellus.history.TrialStatus.COMPLETED && f != null) {
                usable.add(o);
                points.add(f);
            } else if (o.status() == dev.tellus.history.TrialStatus.COMPLETED
                    || o.status() == dev.tellus.history.TrialStatus.PRUNED) {
                // Several objectives: a pruned trial has no values; like a non-finite result it ranks last.
                out.add(new RankedTrial(o, 2, Double.POSITIVE_INFINITY));
            }
        }
        double[][] losses = points.toArray(double[][]::new);
        double[] violations = usable.stream().mapToDouble(o -> Pareto.violation(o.constraints())).toArray();
        List<List<Integer>> fronts = Pareto.fronts(losses, violations);
        double[] reference = reference(losses);
        for (int rank = 0; rank < fronts.size(); rank++) {
            List<Integer> front = fronts.get(rank);
            double[] merit = violations[front.get(0)] > 0 ? new double[front.size()]
                    : front.size() <= MAX_CONTRIBUTION_FRONT ? contributions(losses, front, reference)
                    : Pareto.crowding(losses, front);
            Integer[] order = new Integer[front.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(merit[b], merit[a]));
            for (int i = 0; i < order.length; i++) {
                // The loss orders within the front: rank, then by merit (larger first).
                out.add(new RankedTrial(usable.get(front.get(order[i])), 0, rank + i / (double) (order.length + 1)));
            }
        }
        out.sort(BEST_FIRST);
        return out;
    }

    /**
     * MOTPE's weights of the good trials: each feasible trial on the good group's own front weighs its exclusive
     * hypervolume contribution to that front (against a reference just beyond the group's worst), relative to the
     * largest; every other good trial (dominated within the group, infeasible or without values) weighs
     * {@code floor}. A front of one member weighs 1.
     */
    public static double[] contributionWeights(List<Observation> good, List<Direction> directions, double floor) {
        double[] out = new double[good.size()];
        Arrays.fill(out, floor);
        var index = new ArrayList<Integer>();
        var points = new ArrayList<double[]>();
        for (int i = 0; i < good.size(); i++) {
            Observation o = good.get(i);
            double[] f = o.status() == dev.tellus.history.TrialStatus.COMPLETED ? losses(o, directions) : null;
            if (f != null && Pareto.violation(o.constraints()) <= 0) {
                index.add(i);
                points.add(f);
            }
        }
        if (points.isEmpty()) {
            return out;
        }
        double[][] losses = points.toArray(double[][]::new);
        List<Integer> front = Pareto.fronts(losses, null).get(0);
        double[] merit = front.size() == 1 ? new double[] {1}
                : contributions(losses, front, reference(losses));
        double max = Arrays.stream(merit).max().orElse(0);
        for (int i = 0; i < front.size(); i++) {
            double w = max > 0 ? merit[i] / max : 1;
            out[index.get(front.get(i))] = Math.max(floor, w);
        }
        return out;
    }

    /** A reference point just beyond the worst of each objective, so the extremes still contribute. */
    private static double[] reference(double[][] losses) {
        if (losses.length == 0) {
            return new double[0];
        }
        int m = losses[0].length;
        double[] lo = new double[m];
        double[] hi = new double[m];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] f : losses) {
            for (int k = 0; k < m; k++) {
                lo[k] = Math.min(lo[k], f[k]);
                hi[k] = Math.max(hi[k], f[k]);
            }
        }
        double[] ref = new double[m];
        for (int k = 0; k < m; k++) {
            ref[k] = hi[k] + Math.max(0.1 * (hi[k] - lo[k]), 1e-12 * Math.max(1, Math.abs(hi[k])));
        }
        return ref;
    }

    /** Each member's exclusive hypervolume contribution to its front. */
    private static double[] contributions(double[][] losses, List<Integer> front, double[] reference) {
        var all = new ArrayList<double[]>();
        for (int i : front) {
            all.add(losses[i]);
        }
        double total = Pareto.hypervolume(all, reference);
        double[] out = new double[front.size()];
        for (int i = 0; i < front.size(); i++) {
            var without = new ArrayList<>(all);
            without.remove(i);
            out[i] = total - Pareto.hypervolume(without, reference);
        }
        return out;
    }
}
