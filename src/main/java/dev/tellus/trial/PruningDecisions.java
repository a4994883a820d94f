package dev.tellus.trial;

import dev.tellus.pruning.Pruner;
import dev.tellus.history.Direction;
import dev.tellus.study.StudyDefinition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Asks a study's pruner about a report, inside the report's transaction and after its value is stored. Reads
 * only the trial's own values up to the step (primary key) and the other trials' values at that very step
 * (index {@code intermediate_value_by_step}); the rows are append-only and the pruners keep no other state,
 * so concurrent reports from any number of workers and replicas cannot leave anything inconsistent.
 */
@Component
class PruningDecisions {

    static final String MULTI_OBJECTIVE = "multi-objective studies are not pruned yet";

    /** Whether to stop, and why not when the pruner was not asked at all. */
    record Decision(boolean prune, String reason) {
        static final Decision CONTINUE = new Decision(false, null);
    }

    private record Peers(double best, Object[] trials, Object[] values) {
    }

    private final JdbcClient jdbc;

    PruningDecisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Decision decide(long studyId, long studySeed, StudyDefinition definition, long number, long step, double value) {
        Pruner pruner = definition.pruner();
        if (!pruner.stopsTrials()) {
            return Decision.CONTINUE;
        }
        if (definition.objectives().size() > 1) {
            return new Decision(false, MULTI_OBJECTIVE);
        }
        if (pruner.needsReference()) {
            pruner = pruner.resolve(referenceSteps(studyId));
        }
        if (!pruner.judges(pruner.bracket(studySeed, number), step)) {
            return Decision.CONTINUE;
        }
        Direction direction = definition.directions().get(0);
        // One round trip: the trial's best value up to the step, and the other trials' values at the step as two
        // arrays (one row, not a row per peer).
        Peers peers = jdbc.sql("""
                        select (select %s(value) from intermediate_value
                                where study_id = :study and number = :number and step <= :step),
                               coalesce(array_agg(number), '{}'), coalesce(array_agg(value), '{}')
                        from intermediate_value where study_id = :study and step = :step and number <> :number"""
                        .formatted(direction == Direction.MINIMIZE ? "min" : "max"))
                .param("study", studyId).param("number", number).param("step", step)
                .query((rs, i) -> new Peers(rs.getDouble(1), (Object[]) rs.getArray(2).getArray(),
                        (Object[]) rs.getArray(3).getArray())).single();
        long[] trials = new long[peers.trials().length];
        double[] losses = new double[trials.length];
        for (int i = 0; i < trials.length; i++) {
            trials[i] = ((Number) peers.trials()[i]).longValue();
            losses[i] = direction.toLoss(((Number) peers.values()[i]).doubleValue());
        }
        double best = peers.best();
        return new Decision(pruner.decide(studySeed, number,
                new Pruner.Report(step, direction.toLoss(value), direction.toLoss(best)), trials, losses), null);
    }

    /**
     * For pruners with {@code auto} resources: the last step reported by the lowest-numbered completed trial that
     * reported any, or null. Walks the primary key from the study's first trial and stops at the first match, then
     * reads that trial's largest step from intermediate_value's primary key.
     */
    private Long referenceSteps(long studyId) {
        return jdbc.sql("""
                        select max(v.step) from intermediate_value v
                        where v.study_id = :study and v.number = (
                            select t.number from trial t
                            where t.study_id = :study and t.state = 'COMPLETED'
                              and exists (select 1 from intermediate_value i where i.study_id = t.study_id and i.number = t.number)
                            order by t.number limit 1)""")
                .param("study", studyId).query((rs, i) -> rs.getObject(1, Long.class)).list().getFirst();
    }
}
