package dev.tellus.trial;

import dev.tellus.history.TrialStatus;
import dev.tellus.web.InvalidRequest;

import java.util.List;
import java.util.Map;

/**
 * The body of a tell: {@code value} (one objective) or {@code values} (one per objective), or
 * {@code state: FAILED} with an optional reason, or {@code state: PRUNED}; optional attributes.
 */
public record TellRequest(Double value, List<Double> values, TrialStatus state, String reason,
                          Map<String, Object> attributes) {

    static final int MAX_REASON = 2048;

    Outcome outcome(int objectives) {
        boolean hasValues = value != null || values != null;
        if (state == null || state == TrialStatus.COMPLETED) {
            return Outcome.ofValues(requireValues(objectives));
        }
        if (hasValues) {
            throw new InvalidRequest(value != null ? "value" : "values", "must be absent when state is " + state);
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
}
