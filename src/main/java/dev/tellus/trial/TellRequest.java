package dev.tellus.trial;

import dev.tellus.history.TrialStatus;
import dev.tellus.web.InvalidRequest;

import java.util.List;
import java.util.Map;

/**
 * The body of a tell: {@code value} (one objective) or {@code values} (one per objective) with
 * {@code constraints} (one per declared constraint), or {@code state: FAILED} with an optional reason, or
 * {@code state: PRUNED}; optional attributes.
 */
public record TellRequest(Double value, List<Double> values, List<Double> constraints, TrialStatus state,
                          String reason, Map<String, Object> attributes) {

    static final int MAX_REASON = 2048;

    Outcome outcome(int objectives, int constraintCount) {
        boolean hasValues = value != null || values != null;
        if (state == null || state == TrialStatus.COMPLETED) {
            double[] v = requireValues(objectives);
            return Outcome.ofValues(v, constraintValues(constraints, constraintCount));
        }
        if (hasValues) {
            throw new InvalidRequest(value != null ? "value" : "values", "must be absent when state is " + state);
        }
        if (constraints != null) {
            throw new InvalidRequest("constraints", "must be absent when state is " + state);
        }
        return switch (state) {
            case FAILED -> {
                if (reason != null && reason.length() > MAX_REASON) {
                    throw new InvalidRequest("reason", "must be at most " + MAX_REASON + " characters");
                }
                yield new Outcome.Failed(reason == null ? "failed" : reason);
            }
            case PRUNED -> new Outcome.Pruned();
            default -> throw new InvalidRequest("state", "must be COMPLETED, FAILED or PRUNED");
        };
    }

    private double[] requireValues(int objectives) {
        if (value != null && values != null) {
            throw new InvalidRequest("value", "give value or values, not both");
        }
        if (value != null) {
            if (objectives != 1) {
                throw new InvalidRequest("value", "this study has " + objectives + " objectives: give values, one per objective");
            }
            return new double[] {value};
        }
        if (values == null) {
            throw new InvalidRequest("value", "is required: a number (or values, one per objective, or a state)");
        }
        return EnqueueRequest.toArray(values, objectives, "values");
    }

    /**
     * The constraint values of a result: exactly one finite number per declared constraint (null when the study
     * declares none). Unlike an objective, a non-finite constraint is an error: it says nothing about feasibility.
     */
    static double[] constraintValues(List<Double> given, int count) {
        if (count == 0) {
            if (given != null) {
                throw new InvalidRequest("constraints", "this study declares no constraints");
            }
            return null;
        }
        if (given == null) {
            throw new InvalidRequest("constraints", "is required: one number per declared constraint (" + count + ")");
        }
        if (given.size() != count) {
            throw new InvalidRequest("constraints", "must have " + count + " values, one per declared constraint, not "
                    + given.size());
        }
        var errors = new java.util.ArrayList<dev.tellus.space.FieldError>();
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            Double c = given.get(i);
            if (c == null || !Double.isFinite(c)) {
                errors.add(new dev.tellus.space.FieldError("constraints[" + i + "]", "must be a finite number"));
            } else {
                out[i] = c;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return out;
    }
}
