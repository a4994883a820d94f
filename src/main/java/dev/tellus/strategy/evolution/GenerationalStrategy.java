package dev.tellus.strategy.evolution;

import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.evolution.Generations.Member;

import java.util.ArrayList;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ask every generational strategy shares: read the state (or rebuild it from the tagged trials when it cannot
 * be read), fold in every generation whose members all have a result, oldest first, then hand out members of the
 * generation being issued, each tagged by {@link Generations}, moving on to the next generation once all of its
 * members are out. A strategy says how to read and write its state, how a complete generation updates it and how
 * a member is drawn.
 */
abstract class GenerationalStrategy<S extends GenerationalStrategy.Position> implements Strategy {

    /** Where a state stands: the oldest generation not yet folded in, and the one members are handed out from. */
    abstract static class Position {
        long generation;
        long issueGeneration;
        int issued;

        /** Members per generation (it may change between generations, as CMA-ES's restarts double it). */
        abstract int size();
    }

    /** A new member: its genes and the tags it carries beyond the generation bookkeeping. */
    record Draft(double[] x, int[] choices, Map<String, Object> tags) {
    }

    /** Draws the members of one ask; made once per ask so per-ask work (a decomposition) is done once. */
    @FunctionalInterface
    interface Breeder<S> {
        Draft draw(S state, SplittableRandom random);
    }

    final Genes genes;

    GenerationalStrategy(Genes genes) {
        this.genes = genes;
    }

    @Override
    public final ProposalBatch propose(AskContext context) {
        S s = decode(context.state());
        if (s == null) {
            s = rebuild(context);
        } else {
            fold(s, g -> context.history().tagged(Generations.GENERATION, g), context);
        }
        var proposals = new ArrayList<Proposal>(context.count());
        Breeder<S> breeder = context.count() > 0 ? breeder(s, context) : null;
        for (int i = 0; i < context.count(); i++) {
            Draft draft = breeder.draw(s, context.randomFor(context.firstNumber() + i));
            var tags = Generations.tags(s.issueGeneration, s.issued, draft.x(), draft.choices());
            tags.putAll(draft.tags());
            proposals.add(new Proposal(genes.params(draft.x(), draft.choices()), tags));
            if (++s.issued == s.size()) {
                s.issueGeneration++;
                s.issued = 0;
            }
        }
        return new ProposalBatch(proposals, encode(s), false);
    }

    /** Folds in every generation whose results are all in, oldest first. */
    final void fold(S s, Generations.Source source, AskContext context) {
        while (s.issueGeneration > s.generation) {
            Member[] members = Generations.resolve(source.members(s.generation), s.size(), genes.dimensions(),
                    genes.categoricals(), Generations.direction(context));
            if (members == null) {
                return;
            }
            if (!update(s, members, context)) {
                s.generation++;
            }
        }
    }

    /** The state, or null when it is not one this strategy wrote for this space. */
    abstract S decode(StrategyState state);

    abstract StrategyState encode(S s);

    /** A state rebuilt from the tagged trials alone, as the asks would have folded them in. */
    abstract S rebuild(AskContext context);

    /** Folds in a complete generation; true when it moved the position itself (a restart), false to go on. */
    abstract boolean update(S s, Member[] members, AskContext context);

    abstract Breeder<S> breeder(S s, AskContext context);
}
