package dev.tellus.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The shapes the dashboard's summary endpoints answer with: columnar, so large series stay small on the wire. */
final class Summaries {

    private Summaries() {
    }

    /** The study as GET /studies/{name} shows it, and its first objective's history (null when not asked for). */
    record Overview(dev.tellus.study.StudyResponse study, History history) {
    }

    /** An objective as the charts label it. */
    record ObjectiveView(String name, String direction) {
    }

    /**
     * The optimisation history of one objective. {@code numbers}/{@code values} are the completed trials drawn
     * (every improvement of the best kept), {@code pruned} and {@code failed} the trial numbers marked.
     */
    record History(String objective, String direction, long total, int shown, boolean downsampled,
                   List<Long> numbers, List<Double> values, List<Long> pruned, long prunedTotal,
                   List<Long> failed, long failedTotal) {
    }

    /**
     * Completed trials for parallel coordinates, slices and the Pareto front: one list per column. {@code params}
     * has one list per parameter (null where inactive), {@code values} one per objective, {@code front} marks the
     * Pareto-optimal trials (several objectives) or the best one.
     */
    record Points(List<ObjectiveView> objectives, List<Map<String, Object>> parameters, long total, int shown,
                  boolean downsampled, int best, List<Long> numbers, Map<String, List<Object>> params,
                  List<List<Double>> values, List<Boolean> front) {
    }

    /** Learning curves: per trial, its steps and values (thinned to at most {@code maxSteps} points each). */
    record Intermediate(long total, int shown, boolean downsampled, int maxSteps, List<Curve> curves) {
    }

    record Curve(long number, String state, List<Long> steps, List<Double> values) {
    }

    /** A page of the trials table with the number of trials the filter matches. */
    record TrialRows(long total, int offset, int limit, List<TrialRow> trials) {
    }

    record TrialRow(long number, String state, Map<String, Object> params, List<Double> values, Instant createdAt,
                    Instant finishedAt, String reason) {
    }

    /** A page of the study list, sorted by last activity. */
    record StudyRows(long total, int offset, int limit, List<StudyRow> studies) {
    }

    record StudyRow(String name, String state, String strategy, List<ObjectiveView> objectives,
                    Map<String, Long> counts, Double best, Instant createdAt, Instant lastActivity) {
    }
}
