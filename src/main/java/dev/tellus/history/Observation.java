package dev.tellus.history;

import java.util.Map;

/**
 * A trial as a strategy sees it: its params, its status, its objective values, and the tags its proposal
 * carried. Values are set for COMPLETED trials. For PRUNED trials of single-objective studies they hold the
 * last intermediate value the trial reported (the one at its highest step), or null when it reported none: a
 * strategy may rank a pruned trial by it, knowing it was taken before the end of training. Null otherwise.
 */
public record Observation(long number, TrialStatus status, Map<String, Object> params, double[] values,
                          Map<String, Object> tags) {

    public Observation {
        params = Map.copyOf(params);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        values = values == null ? null : values.clone();
    }

    @Override
    public double[] values() {
        return values == null ? null : values.clone();
    }

    /** The first objective value, or NaN when there is none. */
    public double value() {
        return values == null || values.length == 0 ? Double.NaN : values[0];
    }
}
