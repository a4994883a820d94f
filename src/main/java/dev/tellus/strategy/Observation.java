package dev.tellus.strategy;

import java.util.Map;

/**
 * A trial as a strategy sees it: its params, its status, its objective values (COMPLETED only; for PRUNED
 * trials the last intermediate value when there is one, else null), and the tags its proposal carried.
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
