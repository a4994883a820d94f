package dev.tellus.history;

import java.util.Map;

/**
 * A trial as a strategy sees it: its params, its status, its objective values, its constraint values and the tags
 * its proposal carried. Values are set for COMPLETED trials. For PRUNED trials of single-objective studies they hold
 * the last intermediate value the trial reported (the one at its highest step), or null when it reported none: a
 * strategy may rank a pruned trial by it, knowing it was taken before the end of training. Null otherwise.
 * Constraints are set for COMPLETED trials of studies that declare constraints (feasible when every one is ≤ 0),
 * null otherwise.
 */
public record Observation(long number, TrialStatus status, Map<String, Object> params, double[] values,
                          Map<String, Object> tags, double[] constraints) {

    public Observation {
        params = Map.copyOf(params);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        values = values == null ? null : values.clone();
        constraints = constraints == null ? null : constraints.clone();
    }

    /** A trial of a study without constraints. */
    public Observation(long number, TrialStatus status, Map<String, Object> params, double[] values,
                       Map<String, Object> tags) {
        this(number, status, params, values, tags, null);
    }

    @Override
    public double[] values() {
        return values == null ? null : values.clone();
    }

    @Override
    public double[] constraints() {
        return constraints == null ? null : constraints.clone();
    }

    /** The first objective value, or NaN when there is none. */
    public double value() {
        return values == null || values.length == 0 ? Double.NaN : values[0];
    }
}
