package dev.tellus.trial;

import dev.tellus.pruning.Pruner;
import dev.tellus.strategy.Direction;
import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

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

    private record Peer(long trial, double loss) {
    }

    private final JdbcClient jdbc;

    PruningDecisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Decision decide(Study study, StudyDefinition definition, long number, long step, double value) {
        Pruner pruner = definition.pruner();
        if (!pruner.stopsTrials()) {
            return Decision.CONTINUE;
        }
        if (definition.objectives().size() > 1) {
            return new Decision(false, MULTI_OBJECTIVE);
        }
        if (!pruner.judges(pruner.bracket(study.seed(), number), step)) {
            return Decision.CONTINUE;
        }
        Direction direction = definition.directions().get(0);
        double best = jdbc.sql("""
                        select %s(value) from intermediate_value
                        where study_id = :study and number = :number and step <= :step"""
                        .formatted(direction == Direction.MINIMIZE ? "min" : "max"))
                .param("study", study.id()).param("number", number).param("step", step).query(Double.class).single();
        List<Peer> peers = jdbc.sql("""
                        select number, value from intermediate_value
                        where study_id = :study and step = :step and number <> :number""")
                .param("study", study.id()).param("step", step).param("number", number)
                .query((rs, i) -> new Peer(rs.getLong(1), direction.toLoss(rs.getDouble(2)))).list();
        long[] trials = new long[peers.size()];
        double[] losses = new double[peers.size()];
        for (int i = 0; i < trials.length; i++) {
            trials[i] = peers.get(i).trial();
            losses[i] = peers.get(i).loss();
        }
        return new Decision(pruner.decide(study.seed(), number,
                new Pruner.Report(step, direction.toLoss(value), direction.toLoss(best)), trials, losses), null);
    }
}
