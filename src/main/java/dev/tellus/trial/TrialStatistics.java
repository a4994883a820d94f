package dev.tellus.trial;

import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.TrialSummaries;
import dev.tellus.history.TrialStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts per state and the best trial, for study views. */
@Component
class TrialStatistics implements TrialSummaries {

    private final JdbcClient jdbc;
    private final TrialReads trials;
    private final IntermediateValues intermediate;

    TrialStatistics(JdbcClient jdbc, TrialReads trials, IntermediateValues intermediate) {
        this.jdbc = jdbc;
        this.trials = trials;
        this.intermediate = intermediate;
    }

    @Override
    @Transactional(readOnly = true)
    public void warmUp() {
        trials.warmUp();
        intermediate.of(-1L, -1L);
    }

    @Override
    public Map<Long, Map<String, Long>> counts(List<Long> studyIds) {
        var out = new HashMap<Long, Map<String, Long>>();
        for (Long id : studyIds) {
            var zero = new LinkedHashMap<String, Long>();
            for (TrialStatus s : TrialStatus.values()) {
                zero.put(s.name(), 0L);
            }
            out.put(id, zero);
        }
        if (studyIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select study_id, state, count(*) from trial where study_id = any(:ids) group by study_id, state")
                .param("ids", studyIds.toArray(Long[]::new))
                .query((rs, i) -> out.get(rs.getLong(1)).put(rs.getString(2), rs.getLong(3))).list();
        return out;
    }

    @Override
    public Object best(Study study, StudyDefinition definition) {
        if (definition.objectives().size() != 1) {
            return null;
        }
        TrialReads.Ranked ranked = trials.bestTrials(study, definition);
        List<Trial> best = ranked.trials();
        if (best.isEmpty() || !ranked.feasible()) {
            return null;
        }
        Trial t = best.get(0);
        return TrialResponse.of(t, definition.space(), intermediate.of(study.id(), t.number()));
    }

    @Override
    public Double hypervolume(Study study, StudyDefinition definition) {
        double[] reference = definition.reference();
        if (reference == null) {
            return null;
        }
        TrialReads.Ranked best = trials.bestTrials(study, definition);
        return best.feasible() ? ParetoFront.hypervolume(best.trials(), definition.directions(), reference) : 0.0;
    }
}
