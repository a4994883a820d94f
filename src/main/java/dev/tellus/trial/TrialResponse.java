package dev.tellus.trial;

import dev.tellus.space.SearchSpace;
import dev.tellus.history.TrialStatus;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A trial as clients see it; params in the order the study's space defines them. */
public record TrialResponse(
        long number,
        TrialStatus state,
        Map<String, Object> params,
        List<Double> values,
        List<Double> constraints,
        String worker,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant leaseExpiresAt,
        List<IntermediateValue> intermediate,
        Map<String, Object> attributes,
        String reason,
        Long retryOf) {

    /** One value reported at one step of a running trial. */
    public record IntermediateValue(long step, double value) {
    }

    static TrialResponse of(Trial t, SearchSpace space, List<IntermediateValue> intermediate) {
        return new TrialResponse(t.number(), t.state(), space.inSpaceOrder(t.params()),
                t.values() == null ? null : Arrays.stream(t.values()).boxed().toList(),
                t.constraints() == null ? null : Arrays.stream(t.constraints()).boxed().toList(), t.worker(), t.createdAt(),
                t.startedAt(), t.finishedAt(), t.leaseExpiresAt(), intermediate, t.attributes(), t.reason(), t.retryOf());
    }
}
