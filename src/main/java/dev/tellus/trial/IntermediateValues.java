package dev.tellus.trial;

import dev.tellus.trial.TrialResponse.IntermediateValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The values trials report per step, keyed by (study, trial, step). */
@Repository
class IntermediateValues {

    private final JdbcClient jdbc;

    IntermediateValues(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a step's value; returns the value already recorded for that step, if there was one. */
    Optional<Double> record(long studyId, long number, long step, double value, Instant now) {
        int inserted = jdbc.sql("""
                        insert into intermediate_value (study_id, number, step, value, recorded_at)
                        values (:study, :number, :step, :value, :now) on conflict do nothing""")
                .param("study", studyId).param("number", number).param("step", step).param("value", value)
                .param("now", Timestamp.from(now)).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return jdbc.sql("select value from intermediate_value where study_id = :study and number = :number and step = :step")
                .param("study", studyId).param("number", number).param("step", step).query(Double.class).optional();
    }

    List<IntermediateValue> of(long studyId, long number) {
        return byTrial(studyId, List.of(number)).getOrDefault(number, List.of());
    }

    /** The values of several trials in one query, in step order. */
    Map<Long, List<IntermediateValue>> byTrial(long studyId, Collection<Long> numbers) {
        var out = new HashMap<Long, List<IntermediateValue>>();
        if (numbers.isEmpty()) {
            return out;
        }
        jdbc.sql("""
                        select number, step, value from intermediate_value
                        where study_id = :study and number = any(:numbers) order by number, step""")
                .param("study", studyId).param("numbers", numbers.toArray(Long[]::new))
                .query((rs, i) -> {
                    out.computeIfAbsent(rs.getLong(1), n -> new ArrayList<>())
                            .add(new IntermediateValue(rs.getLong(2), rs.getDouble(3)));
                    return null;
                }).list();
        return out;
    }

    /** One recorded value, for exports. */
    record Row(long number, long step, double value) {
    }

    /** Every value of a study in (number, step) order, handed to the consumer row by row. */
    void forEach(long studyId, Consumer<Row> consumer) {
        jdbc.sql("select number, step, value from intermediate_value where study_id = :study order by number, step")
                .param("study", studyId)
                .query(rs -> {
                    consumer.accept(new Row(rs.getLong(1), rs.getLong(2), rs.getDouble(3)));
                });
    }
}
