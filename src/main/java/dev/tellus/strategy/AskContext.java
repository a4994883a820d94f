package dev.tellus.strategy;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.support.TrialRandom;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a strategy may use to propose: the space, the objectives' directions, the study seed, the
 * number the first new trial will get, how many to propose, its state, and the history (read lazily).
 */
public record AskContext(SearchSpace space, List<Direction> directions, long seed, long firstNumber, int count,
                         StrategyState state, History history) {

    public AskContext {
        directions = List.copyOf(directions);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
    }

    /** The random source of the trial with this number: the same for the same seed, whatever came before. */
    public SplittableRandom randomFor(long trialNumber) {
        return TrialRandom.of(seed, trialNumber);
    }
}
