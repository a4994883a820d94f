package dev.tellus.strategy.support;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.strategy.AskContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which finished trials a model-based strategy (TPE, GP) learns from once a study is very long. Up to {@link #CAP}
 * finished trials the model sees all of them. Past it, it sees {@link #CAP} of them, chosen without ranking the
 * whole study (a full sort of 50,000 trials costs more than the ask's whole budget):
 * <ul>
 *   <li>the best quarter: for each objective, the trials with the smallest loss (completed and feasible first, then
 *       pruned or infeasible ones), so the "good" group of TPE and the best half of GP's model are exactly what they
 *       would be without the cap;</li>
 *   <li>the newest half: where the search is now, which TPE's recency weights favour anyway;</li>
 *   <li>the rest evenly spaced over the older trials: where the search has been.</li>
 * </ul>
 * The choice depends only on the history, so every replica models the same trials. Pending trials are unchanged.
 */
public final class ModelledTrials {

    /** Studies with up to this many finished trials are modelled whole. */
    public static final int CAP = 1_000;

    private ModelledTrials() {
    }

    /** The context itself when its history is within {@code cap}, else one whose finished trials are capped. */
    public static AskContext capped(AskContext context, int cap) {
        List<Observation> finished = context.history().finished();
        if (finished.size() <= cap) {
            return context;
        }
        List<Observation> kept = select(finished, context.directions(), cap);
        History history = History.of(kept, context.history().pending());
        return new AskContext(context.space(), context.directions(), context.seed(), context.firstNumber(),
                context.count(), context.state(), history, context.reference());
    }

    /** {@code cap} of the finished trials (given in number order), returned in number order. */
    static List<Observation> select(List<Observation> finished, List<Direction> directions, int cap) {
        int n = finished.size();
        boolean[] keep = new boolean[n];
        int objectives = Math.max(1, directions.size());
        int bestPerObjective = Math.max(1, cap / 4 / objectives);
        for (int k = 0; k < objectives; k++) {
            Direction direction = directions.isEmpty() ? Direction.MINIMIZE : directions.get(k);
            markBest(finished, direction, k, bestPerObjective, keep);
        }
        int kept = count(keep);
        // The newest trials (the list is in number order), then evenly spaced older ones, up to the cap.
        int newest = Math.min(cap / 2, cap - kept);
        for (int i = n - 1; i >= 0 && newest > 0; i--) {
            if (!keep[i]) {
                keep[i] = true;
                newest--;
            }
        }
        int room = cap - count(keep);
        if (room > 0) {
            int[] older = new int[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (!keep[i]) {
                    older[m++] = i;
                }
            }
            for (int j = 0; j < room && j < m; j++) {
                keep[older[(int) ((long) j * m / room)]] = true;
            }
        }
        var out = new ArrayList<Observation>(cap);
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out.add(finished.get(i));
            }
        }
        return out;
    }

    /**
     * Marks the {@code count} trials with the smallest loss on objective {@code k}: completed feasible ones first,
     * then pruned or infeasible ones (each ranked by loss, resp. violation), as {@link RankedTrial} orders them.
     */
    private static void markBest(List<Observation> finished, Direction direction, int k, int count, boolean[] keep) {
        int n = finished.size();
        double[] clean = new double[n];
        double[] second = new double[n];
        double[] violations = new double[n];
        Arrays.fill(clean, Double.NaN);
        Arrays.fill(second, Double.NaN);
        int cleanCount = 0;
        int secondCount = 0;
        double worstClean = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            Observation o = finished.get(i);
            double loss = direction.toLoss(k == 0 ? o.value() : valueOf(o, k));
            if (!Double.isFinite(loss)) {
                continue;
            }
            violations[i] = Pareto.violation(o.constraints());
            if (o.status() == TrialStatus.COMPLETED && violations[i] <= 0) {
                clean[i] = loss;
                cleanCount++;
                worstClean = Math.max(worstClean, loss);
            } else if (o.status() == TrialStatus.PRUNED) {
                second[i] = loss;
                secondCount++;
            }
        }
        // Infeasible trials rank after every feasible one, by violation (RankedTrial's rule).
        double base = Double.isFinite(worstClean) ? worstClean : 0;
        for (int i = 0; i < n; i++) {
            if (violations[i] > 0 && finished.get(i).status() == TrialStatus.COMPLETED) {
                second[i] = base + violations[i];
                secondCount++;
            }
        }
        int left = markSmallest(clean, cleanCount, count, keep);
        if (left > 0) {
            markSmallest(second, secondCount, left, keep);
        }
    }

    /** Marks the {@code count} smallest non-NaN values (ties broken by position); returns how many are still owed. */
    private static int markSmallest(double[] values, int present, int count, boolean[] keep) {
        if (present == 0 || count <= 0) {
            return count;
        }
        double[] sorted = new double[present];
        int m = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sorted[m++] = v;
            }
        }
        int take = Math.min(count, present);
        double threshold = kthSmallest(sorted, take - 1);
        int below = 0;
        for (double v : sorted) {
            if (v < threshold) {
                below++;
            }
        }
        int atThreshold = take - below;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (v < threshold || (v == threshold && atThreshold-- > 0)) {
                keep[i] = true;
            }
        }
        return count - take;
    }

    private static double valueOf(Observation o, int k) {
        double[] v = o.values();
        return v != null && v.length > k ? v[k] : Double.NaN;
    }

    /** The value that would be at index {@code k} if {@code a} were sorted (quickselect; reorders {@code a}). */
    static double kthSmallest(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static int count(boolean[] keep) {
        int c = 0;
        for (boolean b : keep) {
            if (b) {
                c++;
            }
        }
        return c;
    }
}
