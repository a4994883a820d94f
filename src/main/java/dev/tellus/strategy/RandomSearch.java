package dev.tellus.strategy;

import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Independent uniform sampling in each parameter's unit encoding (log-uniform for log parameters, every
 * integer and step value equally likely). Each trial's draw comes from its own number, so it needs no state.
 */
public final class RandomSearch implements Strategy {

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
