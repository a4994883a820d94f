package dev.tellus.trial;

import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's trials read on demand for its strategy, inside the ask's transaction. Nothing is read unless the
 * strategy asks, so random and grid asks stay independent of the study's size; {@link #tagged} finds a generation
 * through the partial index trial_generation (V9).
 */
final class DatabaseHistory implements History {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String GENERATION = "generation";
    private static final String COLUMNS = "select number, state, params::text, objective_values, tags::text, reason, constraint_values from trial ";
    // With one objective, a PRUNED trial is observed with its last intermediate value (see Observation).
    private static final String SINGLE_OBJECTIVE_COLUMNS = """
            select number, state, params::text,
                   coalesce(objective_values, case when state = 'PRUNED' then (
                       select array[iv.value] from intermediate_value iv
                       where iv.study_id = trial.study_id and iv.number = trial.number
                       order by iv.step desc limit 1) end),
                   tags::text, reason, constraint_values
            from trial\s""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final SearchSpace space;
    private final long studyId;
    private final String columns;
    private final FinishedTrials cache;
    private List<Observation> finished;
    private List<Observation> pending;

    DatabaseHistory(JdbcClient jdbc, JsonMapper json, SearchSpace space, long studyId, int objectives,
                    FinishedTrials cache) {
        this.jdbc = jdbc;
        this.json = json;
        this.space = space;
        this.studyId = studyId;
        this.columns = objectives == 1 ? SINGLE_OBJECTIVE_COLUMNS : COLUMNS;
        this.cache = cache;
    }

    long studyId() {
        return studyId;
    }

    /**
     * Finished trials from this replica's cache, refreshed from the rows that may have changed since. The same
     * statement reads every open trial too ({@link FinishedTrials.Snapshot}): they are kept as {@link #pending}'s
     * answer, read at the same moment, so a strategy that reads both costs one statement.
     */
    @Override
    public List<Observation> finished() {
        if (finished == null) {
            FinishedTrials.Snapshot snapshot = cache.snapshot(this);
            finished = snapshot.finished();
            if (pending == null) {
                pending = snapshot.open();
            }
        }
        return finished;
    }

    /** A trial read for the cache, and whether it is settled: finished, and not a lease-expired failure that a late tell may still complete. */
    record Row(Observation observation, boolean settled) {
    }

    /**
     * Every trial numbered from {@code from} on, and the listed ones below it, in number order. Written so that a
     * generic plan (PostgreSQL's, for a statement prepared on the server after its fifth use) still reads only
     * those rows through the primary key: {@code number >= :from or number = any(:also)} in one condition made such
     * a plan read every trial of the study and filter, a cost that grew with the study (0.5 ms at 2,000 trials,
     * 1.5 ms at 3,000). The listed trials (failures by lease expiry a late tell may still complete) are rare: their
     * branch is added only when there are some.
     */
    List<Row> from(long from, java.util.Collection<Long> alsoThese) {
        String sql = alsoThese.isEmpty()
                ? columns + "where study_id = :study and number >= :from order by number"
                : "(" + columns + "where study_id = :study and number >= :from) union all ("
                        + columns + "where study_id = :study and number = any(:also) and number < :from) order by number";
        return jdbc.sql(sql)
                .param("study", studyId).param("from", from).param("also", alsoThese.toArray(Long[]::new))
                .query((rs, i) -> {
                    Observation o = observation(rs, i);
                    boolean settled = o.status().isFinished() && !Trial.LEASE_EXPIRED.equals(rs.getString(6));
                    return new Row(o, settled);
                }).list();
    }

    @Override
    public List<Observation> pending() {
        if (pending == null) {
            pending = query(columns + "where study_id = :study and state in ('WAITING', 'RUNNING') order by number", null);
        }
        return pending;
    }

    @Override
    public List<Observation> tagged(String key, Object value) {
        if (GENERATION.equals(key) && value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            // The hot case (every CMA-ES and genetic ask): the expression index trial_generation (V4, partial since V9).
            return jdbc.sql(columns + "where study_id = :study and tags ->> 'generation' = :value order by number")
                    .param("study", studyId).param("value", Long.toString(n.longValue()))
                    .query(this::observation).list();
        }
        String filter = json.writeValueAsString(Map.of(key, value));
        return query(columns + "where study_id = :study and tags @> cast(:filter as jsonb) order by number", filter);
    }

    private List<Observation> query(String sql, String filter) {
        var statement = jdbc.sql(sql).param("study", studyId);
        if (filter != null) {
            statement = statement.param("filter", filter);
        }
        return statement.query(this::observation).list();
    }

    private Observation observation(ResultSet rs, int row) throws SQLException {
        Map<String, Object> raw = json.readValue(rs.getString(3), MAP);
        // Values come back from JSON as Integer or Double; strategies get the space's canonical types.
        var params = new HashMap<String, Object>();
        raw.forEach((name, value) -> {
            Parameter p = space.parameter(name);
            params.put(name, p == null ? value : p.canonical(value));
        });
        return new Observation(rs.getLong(1), TrialStatus.valueOf(rs.getString(2)), params,
                SqlArrays.doubles(rs.getArray(4)), json.readValue(rs.getString(5), MAP), SqlArrays.doubles(rs.getArray(7)));
    }
}
