package dev.tellus.study;

import dev.tellus.space.ParameterSpec;

import java.util.List;
import java.util.Map;

/** The body of {@code PUT /api/v1/studies/{name}}: a study definition as a client writes it. */
public record StudyRequest(
        Map<String, ParameterSpec> space,
        List<ObjectiveSpec> objectives,
        List<ConstraintSpec> constraints,
        StrategySpec strategy,
        PrunerSpec pruner,
        Integer maxTrials,
        Integer leaseSeconds,
        Integer maxRetries,
        Map<String, Object> metadata) {

    /** An objective; {@code reference} is the point the study's hypervolume is measured against (optional). */
    public record ObjectiveSpec(String name, String direction, Double reference) {
    }

    /** A constraint a tell reports a value for: feasible when the value is at most 0. */
    public record ConstraintSpec(String name) {
    }

    public record StrategySpec(String name, Long seed, Map<String, Object> options) {
    }

    public record PrunerSpec(String name, Map<String, Object> options) {
    }
}
