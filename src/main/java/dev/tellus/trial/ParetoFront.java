package dev.tellus.trial;

import dev.tellus.history.Direction;
import dev.tellus.strategy.support.Pareto;

import java.util.ArrayList;
import java.util.List;

/** The trials no other trial dominates (at least as good in every objective, better in one). */
final class ParetoFront {

    private ParetoFront() {
    }

    static List<Trial> of(List<Trial> completed, List<Direction> directions) {
        var front = new ArrayList<Trial>();
        for (Trial candidate : completed) {
            boolean dominated = false;
            for (Trial other : completed) {
                if (other != candidate && dominates(other.values(), candidate.values(), directions)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(candidate);
            }
        }
        return front;
    }

    /** One objective: the best trial (lowest number on ties), else the front; empty for no trials. */
    static List<Trial> best(List<Trial> completed, List<Direction> directions) {
        if (directions.size() > 1) {
            return of(completed, directions);
        }
        Trial best = null;
        for (Trial t : completed) {
            if (best == null || directions.get(0).toLoss(t.values()[0]) < directions.get(0).toLoss(best.values()[0])) {
                best = t;
            }
        }
        return best == null ? List.of() : List.of(best);
    }

    static boolean dominates(double[] a, double[] b, List<Direction> directions) {
        return Pareto.dominates(losses(a, directions), losses(b, directions));
    }

    /** The values made "smaller is better". */
    static double[] losses(double[] values, List<Direction> directions) {
        double[] out = new double[directions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = directions.get(i).toLoss(values[i]);
        }
        return out;
    }

    /** The hypervolume of these trials (a front) against the reference given in the objectives' own units. */
    static double hypervolume(List<Trial> front, List<Direction> directions, double[] reference) {
        var points = new java.util.ArrayList<double[]>();
        for (Trial t : front) {
            points.add(losses(t.values(), directions));
        }
        return Pareto.hypervolume(points, losses(reference, directions));
    }
}
