package dev.tellus.trial;

import dev.tellus.strategy.support.Pareto;
import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.Studies;
import dev.tellus.history.Direction;
import dev.tellus.history.TrialStatus;
import dev.tellus.trial.TrialResponse.IntermediateValue;
import jakarta.persistence.EntityManager;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Trial reads: one trial, pages, the best trials, the CSV export. Nothing here locks or writes. */
@Service
public class TrialReads {

    private final Studies studies;
    private final StudyDefinitions definitions;
    private final TrialRepository trials;
    private final IntermediateValues intermediate;
    private final EntityManager entities;

    TrialReads(Studies studies, StudyDefinitions definitions, TrialRepository trials,
               IntermediateValues intermediate, EntityManager entities) {
        this.studies = studies;
        this.definitions = definitions;
        this.trials = trials;
        this.intermediate = intermediate;
        this.entities = entities;
    }

    @Transactional(readOnly = true)
    public TrialResponse get(long projectId, String name, long number) {
        Study study = studies.find(projectId, name);
        Trial trial = trials.findById(new TrialId(study.id(), number)).orElseThrow(() -> new TrialNotFound(name, number));
        return TrialResponse.of(trial, definitions.of(study).space(), intermediate.of(study.id(), number));
    }

    /** A page of trials in number order; next is the number to pass as after, or null at the end. */
    public record Page(List<TrialResponse> trials, Long next, StudyDefinition definition) {
    }

    @Transactional(readOnly = true)
    public Page page(long projectId, String name, TrialStatus state, int limit, long after) {
        Study study = studies.find(projectId, name);
        return page(study, definitions.of(study), state, limit, after);
    }

    private Page page(Study study, StudyDefinition definition, TrialStatus state, int limit, long after) {
        List<Trial> rows = state == null
                ? trials.findByStudyIdAndNumberGreaterThanOrderByNumberAsc(study.id(), after, Limit.of(limit + 1))
                : trials.findByStudyIdAndStateAndNumberGreaterThanOrderByNumberAsc(study.id(), state, after, Limit.of(limit + 1));
        boolean more = rows.size() > limit;
        List<Trial> shown = more ? rows.subList(0, limit) : rows;
        Map<Long, List<IntermediateValue>> values = intermediate.byTrial(study.id(), shown.stream().map(Trial::number).toList());
        var out = shown.stream()
                .map(t -> TrialResponse.of(t, definition.space(), values.getOrDefault(t.number(), List.of()))).toList();
        return new Page(out, more ? shown.get(shown.size() - 1).number() : null, definition);
    }

    /**
     * Writes every matching trial as CSV, page by page, from one read-only transaction: one snapshot (REPEATABLE
     * READ), so an export is consistent however long it takes; memory stays at one page (the session is cleared
     * after each). Nothing is written before the study is found, so a missing study is still a clean 404.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public void export(long projectId, String name, TrialStatus state, long after, int pageSize,
                       java.util.function.Supplier<PrintWriter> body) {
        Study study = studies.find(projectId, name);
        StudyDefinition definition = definitions.of(study);
        PrintWriter out = body.get();
        TrialCsv csv = new TrialCsv(definition);
        csv.header(out);
        long cursor = after;
        while (true) {
            Page page = page(study, definition, state, pageSize, cursor);
            csv.rows(out, page.trials());
            entities.clear();
            if (page.next() == null) {
                out.flush();
                return;
            }
            cursor = page.next();
        }
    }

    /** The best trials as clients see them, and whether they are feasible (see {@code TrialController.BestTrials}). */
    public record Best(List<TrialResponse> trials, boolean feasible) {
    }

    /** The best trial (one objective) or the Pareto front (several) among feasible trials, in number order. */
    @Transactional(readOnly = true)
    public Best best(long projectId, String name) {
        Study study = studies.find(projectId, name);
        StudyDefinition definition = definitions.of(study);
        Ranked best = bestTrials(study, definition);
        Map<Long, List<IntermediateValue>> values = intermediate.byTrial(study.id(), best.trials().stream().map(Trial::number).toList());
        return new Best(best.trials().stream()
                .map(t -> TrialResponse.of(t, definition.space(), values.getOrDefault(t.number(), List.of()))).toList(),
                best.feasible());
    }

    /** Best trials, and false when they are only the least-violating ones because none is feasible yet. */
    record Ranked(List<Trial> trials, boolean feasible) {
    }

    /**
     * One objective: the trial with the best value (lowest number on ties); several: the Pareto front. With
     * constraints, only feasible trials count; with none feasible yet, the trials that violate least (smallest sum
     * of positive constraint values), and among those the best by the same rule.
     */
    Ranked bestTrials(Study study, StudyDefinition definition) {
        List<Direction> directions = definition.directions();
        if (definition.constraints().isEmpty()) {
            if (directions.size() == 1) {
                return new Ranked((directions.get(0) == Direction.MINIMIZE ? trials.lowestFirstValue(study.id())
                        : trials.highestFirstValue(study.id())).map(List::of).orElse(List.of()), true);
            }
            return new Ranked(ParetoFront.of(trials.completed(study.id()), directions), true);
        }
        List<Trial> completed = trials.completed(study.id());
        List<Trial> feasible = completed.stream().filter(t -> Pareto.violation(t.constraints()) <= 0).toList();
        if (!feasible.isEmpty() || completed.isEmpty()) {
            return new Ranked(ParetoFront.best(feasible, directions), true);
        }
        double least = completed.stream().mapToDouble(t -> Pareto.violation(t.constraints())).min().orElseThrow();
        List<Trial> leastViolating = completed.stream().filter(t -> Pareto.violation(t.constraints()) == least).toList();
        return new Ranked(ParetoFront.best(leastViolating, directions), false);
    }

    /** The best-trial reads against no study, once (see {@link dev.tellus.study.TrialSummaries#warmUp}). */
    void warmUp() {
        trials.lowestFirstValue(-1L);
        trials.highestFirstValue(-1L);
    }
}
