package dev.tellus.history;

import dev.tellus.strategy.Strategies;

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

    /**
     * Trials of any status whose proposal carried this tag with this value (compared as JSON numbers or
     * strings), in number order. Strategies that learn in generations read their current generation this
     * way, so their ask cost does not grow with the study; the service answers it from an index.
     */
    default List<Observation> tagged(String key, Object value) {
        var out = new java.util.ArrayList<Observation>();
        for (Observation o : finished()) {
            if (sameTag(o.tags().get(key), value)) {
                out.add(o);
            }
        }
        for (Observation o : pending()) {
            if (sameTag(o.tags().get(key), value)) {
                out.add(o);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Observation::number));
        return out;
    }

    private static boolean sameTag(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }

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
