package dev.tellus.study;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A study as clients see it: its definition with defaults filled in, plus state, counts and best trial. */
public record StudyResponse(
        String name,
        Map<String, Object> space,
        List<Object> objectives,
        List<Object> constraints,
        Map<String, Object> strategy,
        Map<String, Object> pruner,
        Integer maxTrials,
        int leaseSeconds,
        int maxRetries,
        Map<String, Object> metadata,
        StudyState state,
        Instant createdAt,
        Map<String, Long> counts,
        Object best,
        Double hypervolume) {

    @SuppressWarnings("unchecked")
    static StudyResponse of(Study study, StudyDefinition definition, Map<String, Long> counts, Object best,
                            Double hypervolume) {
        Map<String, Object> c = definition.canonical();
        return new StudyResponse(study.name(), (Map<String, Object>) c.get("space"), (List<Object>) c.get("objectives"),
                (List<Object>) c.getOrDefault("constraints", List.of()),
                (Map<String, Object>) c.get("strategy"), (Map<String, Object>) c.get("pruner"), definition.maxTrials(),
                definition.leaseSeconds(), definition.maxRetries(), (Map<String, Object>) c.get("metadata"),
                study.state(), study.createdAt(), counts, best, hypervolume);
    }
}
