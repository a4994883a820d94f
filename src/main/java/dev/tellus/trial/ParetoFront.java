package dev.tellus.trial;

import dev.tellus.history.Direction;

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

    static boolean dominates(double[] a, double[] b, List<Direction> directions) {
        boolean better = false;
        for (int i = 0; i < directions.size(); i++) {
            double x = directions.get(i).toLoss(a[i]);
            double y = directions.get(i).toLoss(b[i]);
            if (x > y) {
                return false;
            }
            if (x < y) {
                better = true;
            }
        }
        return better;
    }
}
