package dev.tellus.study;

import java.util.List;
import java.util.Map;

/** What a study's view needs to know of its trials; the trial feature provides it. */
public interface TrialSummaries {

    /** How many trials each state has, every state present (zero when none). */
    Map<Long, Map<String, Long>> counts(List<Long> studyIds);

    /** The best trial as shown to clients, or null (none completed, or several objectives). */
    Object best(Study study, StudyDefinition definition);

    /** The hypervolume of the feasible Pareto front against the objectives' reference point, or null without one. */
    Double hypervolume(Study study, StudyDefinition definition);

    /**
     * Runs the reads behind {@link #best} once against no study (a start-up warm-up: the first query of each kind in
     * a new JVM pays for its translation and class loading). Reads nothing of any study.
     */
    default void warmUp() {
    }
}
