package dev.tellus.strategy;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.support.TrialRandom;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a strategy may use to propose: the space, the objectives' directions, the study seed, the
 * number the first new trial will get, how many to propose, its state, the history (read lazily), and the study's
 * hypervolume reference point as losses ("smaller is better", one per objective), or null when it gives none.
 */
public record AskContext(SearchSpace space, List<Direction> directions, long seed, long firstNumber, int count,
                         StrategyState state, History history, double[] reference) {

    public AskContext {
        directions = List.copyOf(directions);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        if (reference != null && reference.length != directions.size()) {
            throw new IllegalArgumentException("one reference coordinate per objective");
        }
        reference = reference == null ? null : reference.clone();
    }

    /** A context without a reference point. */
    public AskContext(SearchSpace space, List<Direction> directions, long seed, long firstNumber, int count,
                      StrategyState state, History history) {
        this(space, directions, seed, firstNumber, count, state, history, null);
    }

    /** The study's reference point in the objectives' own units and directions, turned into losses (null: none). */
    public static double[] referenceAsLosses(double[] reference, List<Direction> directions) {
        if (reference == null) {
            return null;
        }
        double[] out = new double[reference.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = directions.get(k).toLoss(reference[k]);
        }
        return out;
    }

    /** The random source of the trial with this number: the same for the same seed, whatever came before. */
    public SplittableRandom randomFor(long trialNumber) {
        return TrialRandom.of(seed, trialNumber);
    }
}
