package dev.tellus.strategy;

/**
 * A search strategy: given everything as arguments, proposes new trials and returns its new state. It never
 * touches a database, the clock, statics or hidden randomness: the same context gives the same batch.
 */
public interface Strategy {

    ProposalBatch propose(AskContext context);
}
