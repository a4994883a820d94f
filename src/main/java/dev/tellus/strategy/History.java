package dev.tellus.strategy;

import java.util.List;

/**
 * The trials of a study, read only when a strategy asks for them: strategies that learn from the history
 * call these; random and grid never do, so their ask cost does not grow with the study.
 */
public interface History {

    /** Trials that ended (COMPLETED, PRUNED, FAILED), in number order. */
    List<Observation> finished();

    /** Trials handed out or enqueued and not yet finished (RUNNING, WAITING), in number order. */
    List<Observation> pending();

    static History of(List<Observation> finished, List<Observation> pending) {
        var f = List.copyOf(finished);
        var p = List.copyOf(pending);
        return new History() {
            @Override
            public List<Observation> finished() {
                return f;
            }

            @Override
            public List<Observation> pending() {
                return p;
            }
        };
    }

    History EMPTY = of(List.of(), List.of());
}
