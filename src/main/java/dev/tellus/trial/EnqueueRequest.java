package dev.tellus.trial;

import dev.tellus.space.FieldError;
import dev.tellus.web.InvalidRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The body of {@code POST …/trials}: params to enqueue, with values to import a finished result instead. */
public record EnqueueRequest(Map<String, Object> params, Double value, List<Double> values, List<Double> constraints,
                             Map<String, Object> attributes) {

    /** The imported constraint values (null when the study declares none); only with imported values. */
    double[] constraints(int count, boolean importing) {
        if (!importing) {
            if (constraints != null) {
                throw new InvalidRequest("constraints", "only an import (params with values) carries constraints");
            }
            return null;
        }
        return TellRequest.constraintValues(constraints, count);
    }

    /** The imported values, or null when the params are only enqueued. */
    double[] values(int objectives) {
        if (value != null && values != null) {
            throw new InvalidRequest("value", "give value or values, not both");
        }
        if (value == null && values == null) {
            return null;
        }
        if (value != null && objectives != 1) {
            throw new InvalidRequest("value", "this study has " + objectives + " objectives: give values, one per objective");
        }
        double[] out = value != null ? new double[] {value} : toArray(values, objectives, "values");
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                throw new InvalidRequest(value != null ? "value" : "values[" + i + "]", "an imported value must be finite");
            }
        }
        return out;
    }

    static double[] toArray(List<Double> values, int objectives, String field) {
        if (values.size() != objectives) {
            throw new InvalidRequest(field, "must have " + objectives + " values, one per objective, not " + values.size());
        }
        var errors = new ArrayList<FieldError>();
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (values.get(i) == null) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a number"));
            } else {
                out[i] = values.get(i);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return out;
    }
}
