package dev.tellus.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The ranges brushed on the study page: numeric parameters and objectives as {@code [low, high]}, categorical
 * parameters as the allowed choices. A trial matches when every named column is within its range (a trial where
 * a brushed parameter is inactive does not match).
 */
record TrialFilter(Map<String, List<Object>> params, Map<String, List<Double>> values) {

    static final TrialFilter NONE = new TrialFilter(Map.of(), Map.of());

    TrialFilter {
        params = params == null ? Map.of() : params;
        values = values == null ? Map.of() : values;
    }
}
