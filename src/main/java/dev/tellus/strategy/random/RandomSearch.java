package dev.tellus.strategy.random;

import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyOptions;
import dev.tellus.strategy.StrategyState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Independent uniform sampling in each parameter's unit encoding (log-uniform for log parameters, every
 * integer and step value equally likely). Each trial's draw comes from its own number, so it needs no state.
 */
public final class RandomSearch implements Strategy {

    /** Random search takes no options. */
    public static RandomSearch create(Map<String, Object> options, SearchSpace space) {
        new StrategyOptions(options, Set.of()).check();
        return new RandomSearch();
    }

    @Override
    public ProposalBatch propose(AskContext context) {
        var proposals = new ArrayList<Proposal>(context.count());
        for (int i = 0; i < context.count(); i++) {
            long number = context.firstNumber() + i;
            proposals.add(new Proposal(sample(context.space(), context.randomFor(number)), Map.of()));
        }
        return new ProposalBatch(proposals, StrategyState.EMPTY, false);
    }

    /**
     * One uniform draw for every parameter, in space order (so a draw does not depend on which parameters
     * turn out to be active), then only the active ones are kept.
     */
    public static Map<String, Object> sample(SearchSpace space, RandomGenerator random) {
        var all = new HashMap<String, Object>();
        for (Parameter p : space.parameters()) {
            all.put(p.name(), p.sample(random));
        }
        return space.activeOnly(all);
    }
}
