package dev.tellus.strategy;

import java.util.List;

/**
 * What a strategy answers: up to the count asked for, its new state, and whether it will never propose
 * anything again (an exhausted grid). Fewer proposals than asked without exhaustion means "not now".
 */
public record ProposalBatch(List<Proposal> proposals, StrategyState state, boolean exhausted) {

    public ProposalBatch {
        proposals = List.copyOf(proposals);
    }
}
