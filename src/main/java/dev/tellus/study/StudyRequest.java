package dev.tellus.study;

import dev.tellus.space.ParameterSpec;

import java.util.List;
import java.util.Map;

/** The body of {@code PUT /api/v1/studies/{name}}: a study definition as a client writes it. */
public record StudyRequest(
        Map<String, ParameterSpec> space,
        List<ObjectiveSpec> objectives,
        StrategySpec strategy,
        PrunerSpec pruner,
        Integer maxTrials,
        Integer leaseSeconds,
        Integer maxRetries,
        Map<String, Object> metadata) {

    public record ObjectiveSpec(String name, String direction) {
    }

    public record StrategySpec(String name, Long seed, Map<String, Object> options) {
    }

    public record PrunerSpec(String name, Map<String, Object> options) {
    }
}
