package dev.tellus.trial;

import dev.tellus.study.StudyDefinition;
import dev.tellus.trial.StudyKeys.StudyKey;
import dev.tellus.trial.TrialResponse.IntermediateValue;
import dev.tellus.web.InvalidRequest;
import jakarta.persistence.EntityManager;
import dev.tellus.history.TrialStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a worker says about its running trial: tell, heartbeat, report. Each locks one trial row (never the study),
 * so the trials of one study are told in parallel. The study's id comes from {@link StudyKeys}: no lookup by name.
 */
@Service
public class TellService {

    private final StudyKeys keys;
    private final IntermediateValues intermediate;
    private final PruningDecisions pruning;
    private final IdempotencyKeys idempotency;
    private final TrialMetrics metrics;
    private final EntityManager entities;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate transaction;

    TellService(StudyKeys keys, IntermediateValues intermediate, PruningDecisions pruning, IdempotencyKeys idempotency,
                TrialMetrics metrics, EntityManager entities, JdbcClient jdbc, JsonMapper json, Clock clock,
                PlatformTransactionManager transactions) {
        this.transaction = new TransactionTemplate(transactions);
        this.keys = keys;
        this.intermediate = intermediate;
        this.pruning = pruning;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.entities = entities;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records a trial's outcome. A late result for a trial failed only because its lease expired is kept,
     * and a retry of it that has not started yet is withdrawn, so the params do not run twice.
     */
    public TrialResponse tell(long projectId, String name, long number, TellRequest request, String idempotencyKey) {
        long started = System.nanoTime();
        StudyKey study = keys.resolve(projectId, name);
        StudyDefinition definition = study.definition();
        Outcome outcome = request.outcome(definition.objectives().size(), definition.constraints().size());
        if (idempotencyKey == null) {
            // The common case, a RUNNING trial told once: one guarded statement, committed on its own (no
            // transaction around it: one round trip to the database), writes the outcome and returns the row.
            // Anything else (not RUNNING, absent, stale cached id) takes the locking path, in a transaction.
            Told told = tellRunning(study, number, outcome, request.attributes(), clock.instant());
            if (told != null) {
                metrics.tell(definition.strategyName(), told.trial().state().name().toLowerCase(Locale.ROOT),
                        System.nanoTime() - started);
                return TrialResponse.of(told.trial(), definition.space(), told.intermediate());
            }
        }
        return transaction.execute(status -> lockingTell(projectId, name, number, request, idempotencyKey, started,
                study, outcome));
    }

    private TrialResponse lockingTell(long projectId, String name, long number, TellRequest request,
                                      String idempotencyKey, long started, StudyKey study, Outcome outcome) {
        StudyDefinition definition = study.definition();
        Locked locked = lock(projectId, name, study, number);
        study = locked.study();
        Trial trial = locked.trial();
        String hash = null;
        if (idempotencyKey != null) {
            hash = IdempotencyKeys.hash("tell:" + number, json.writeValueAsString(request));
            var stored = idempotency.find(study.id(), idempotencyKey);
            if (stored.isPresent()) {
                if (!stored.get().requestHash().equals(hash)) {
                    throw new IdempotencyKeyReused(idempotencyKey);
                }
                metrics.replay("tell");
                metrics.tell(definition.strategyName(), "replay", System.nanoTime() - started);
                return json.readValue(stored.get().response(), TrialResponse.class);
            }
        }
        Instant now = clock.instant();
        boolean late = trial.isLeaseExpiredFailure();
        if (trial.tell(outcome, request.attributes(), now)) {
            writeOutcome(trial);
            if (late) {
                for (Trial retry : lockWaitingRetries(study.id(), number)) {
                    retry.supersede(number, now);
                }
            }
        }
        TrialResponse response = TrialResponse.of(trial, definition.space(), locked.intermediate());
        if (idempotencyKey != null
                && !idempotency.store(study.id(), idempotencyKey, hash, json.writeValueAsString(response), now)) {
            throw new IdempotencyKeyReused(idempotencyKey);
        }
        metrics.tell(definition.strategyName(), trial.state().name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
        return response;
    }

    /** A trial as a tell left it, with its intermediate values. */
    private record Told(Trial trial, List<IntermediateValue> intermediate) {
    }

    /**
     * The hot path of a tell: one UPDATE, guarded by {@code state = 'RUNNING'}, writes what {@link Trial#tell} would
     * write for a running trial (its outcome, finished now, no lease, the attributes merged key by key) and returns
     * the row with its intermediate values. It takes the same row lock as the locking path, so a concurrent tell of
     * the same trial waits for it, then finds the trial no longer RUNNING and takes the locking path, which decides
     * (the same outcome again: 200; another: 409). Null when it did not apply.
     */
    private Told tellRunning(StudyKey study, long number, Outcome outcome, Map<String, Object> attributes, Instant now) {
        String state;
        double[] values = null;
        double[] constraints = null;
        String reason = null;
        switch (outcome) {
            case Outcome.Completed c -> {
                state = TrialStatus.COMPLETED.name();
                values = c.values();
                constraints = c.constraints();
            }
            case Outcome.Failed f -> {
                state = TrialStatus.FAILED.name();
                reason = f.reason();
            }
            case Outcome.Pruned p -> state = TrialStatus.PRUNED.name();
        }
        Object[] row = jdbc.sql("""
                        update trial t set state = :state, objective_values = :values, constraint_values = :constraints,
                                           reason = :reason, finished_at = :finished, lease_expires_at = null,
                                           attributes = coalesce(t.attributes, '{}'::jsonb) || cast(:attributes as jsonb)
                        where t.study_id = :study and t.number = :number and t.state = 'RUNNING'
                        returning t.study_id, t.number, t.state, t.params::text, t.objective_values, t.constraint_values,
                                  t.worker, t.reason, t.attributes::text, t.tags::text, t.created_at, t.started_at,
                                  t.finished_at, t.lease_expires_at, t.retry_of, t.attempt,
                                  (select json_agg(json_build_array(iv.step, iv.value) order by iv.step)
                                   from intermediate_value iv
                                   where iv.study_id = t.study_id and iv.number = t.number)::text as intermediate""")
                .param("state", state)
                .param("values", SqlArrays.boxed(values), Types.ARRAY)
                .param("constraints", SqlArrays.boxed(constraints), Types.ARRAY)
                .param("reason", reason)
                .param("finished", timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("attributes", json.writeValueAsString(attributes == null ? Map.of() : attributes))
                .param("study", study.id()).param("number", number)
                .query((rs, i) -> new Object[]{trial(rs), rs.getString(17)})
                .optional().orElse(null);
        return row == null ? null : new Told((Trial) row[0], intermediate((String) row[1]));
    }

    private List<IntermediateValue> intermediate(String pairs) {
        var values = new ArrayList<IntermediateValue>();
        if (pairs != null) {
            for (var pair : json.readTree(pairs)) {
                values.add(new IntermediateValue(pair.get(0).asLong(), pair.get(1).asDouble()));
            }
        }
        return values;
    }

    /** A trial locked for an update, its intermediate values, and the study key that found it. */
    private record Locked(StudyKey study, Trial trial, List<IntermediateValue> intermediate) {
    }

    /**
     * One statement locks the trial row and reads its intermediate values (for the response). When the cached
     * study id finds no trial, the name is resolved again before answering 404: the study may have been created
     * again under the same name.
     */
    private Locked lock(long projectId, String name, StudyKey study, long number) {
        Object[] row = lockWithValues(study.id(), number);
        if (row == null) {
            keys.forget(projectId, name, study);
            StudyKey fresh = keys.resolve(projectId, name);
            row = fresh.id() == study.id() ? null : lockWithValues(fresh.id(), number);
            if (row == null) {
                throw new TrialNotFound(name, number);
            }
            study = fresh;
        }
        return new Locked(study, (Trial) row[0], intermediate((String) row[1]));
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The trial row locked, and its intermediate values as a JSON array of [step, value] pairs. */
    private Object[] lockWithValues(long studyId, long number) {
        return jdbc.sql("""
                        select t.study_id, t.number, t.state, t.params::text, t.objective_values, t.constraint_values,
                               t.worker, t.reason, t.attributes::text, t.tags::text, t.created_at, t.started_at,
                               t.finished_at, t.lease_expires_at, t.retry_of, t.attempt,
                               (select json_agg(json_build_array(iv.step, iv.value) order by iv.step)
                                from intermediate_value iv
                                where iv.study_id = t.study_id and iv.number = t.number)::text as intermediate
                        from trial t where t.study_id = :study and t.number = :number for update of t""")
                .param("study", studyId).param("number", number)
                .query((rs, i) -> new Object[]{trial(rs), rs.getString(17)})
                .optional().orElse(null);
    }

    private Trial trial(ResultSet rs) throws SQLException {
        long retryOf = rs.getLong(15);
        return Trial.restored(rs.getLong(1), rs.getLong(2), TrialStatus.valueOf(rs.getString(3)),
                json.readValue(rs.getString(4), MAP), SqlArrays.doubles(rs.getArray(5)),
                SqlArrays.doubles(rs.getArray(6)),
                rs.getString(7), rs.getString(8), json.readValue(rs.getString(9), MAP), json.readValue(rs.getString(10), MAP),
                instant(rs, 11), instant(rs, 12), instant(rs, 13), instant(rs, 14), rs.wasNull() ? null : retryOf,
                rs.getInt(16));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    /** Writes what a tell changes (the trial was read and locked by {@link #lockWithValues}). */
    private void writeOutcome(Trial trial) {
        jdbc.sql("""
                        update trial set state = :state, objective_values = :values, constraint_values = :constraints,
                                         reason = :reason, finished_at = :finished, lease_expires_at = :lease,
                                         attributes = cast(:attributes as jsonb)
                        where study_id = :study and number = :number""")
                .param("state", trial.state().name())
                .param("values", SqlArrays.boxed(trial.values()), Types.ARRAY)
                .param("constraints", SqlArrays.boxed(trial.constraints()), Types.ARRAY)
                .param("reason", trial.reason())
                .param("finished", timestamp(trial.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("lease", timestamp(trial.leaseExpiresAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("attributes", json.writeValueAsString(trial.attributes()))
                .param("study", trial.studyId()).param("number", trial.number())
                .update();
    }

    /** Writes a renewed lease (the rare path of heartbeat and report, after the guarded update did not apply). */
    private void writeLease(Trial trial) {
        jdbc.sql("update trial set lease_expires_at = :lease where study_id = :study and number = :number")
                .param("lease", timestamp(trial.leaseExpiresAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("study", trial.studyId()).param("number", trial.number())
                .update();
    }

    private static OffsetDateTime timestamp(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private List<Trial> lockWaitingRetries(long studyId, long number) {
        return entities.createNativeQuery(
                        "select * from trial where study_id = :study and retry_of = :number and state = 'WAITING' for update",
                        Trial.class)
                .setParameter("study", studyId).setParameter("number", number).getResultList();
    }

    @Transactional
    public Instant heartbeat(long projectId, String name, long number) {
        Instant now = clock.instant();
        StudyKey study = keys.resolve(projectId, name);
        if (renewRunning(study, number, now)) {
            return now.plusSeconds(study.definition().leaseSeconds());
        }
        Trial trial = lock(projectId, name, study, number).trial();
        trial.renewLease(now, study.definition().leaseSeconds());
        writeLease(trial);
        return trial.leaseExpiresAt();
    }

    /** The answer to a report: whether to stop the trial, why the pruner was not asked (or null), and the renewed lease. */
    public record ReportResult(boolean prune, String reason, Instant leaseExpiresAt) {
    }

    @Transactional
    public ReportResult report(long projectId, String name, long number, long step, double value) {
        if (step < 0) {
            throw new InvalidRequest("step", "must be >= 0");
        }
        if (!Double.isFinite(value)) {
            throw new InvalidRequest("value", "must be a finite number (tell a diverged run as its final value instead)");
        }
        Instant now = clock.instant();
        StudyKey study = keys.resolve(projectId, name);
        StudyDefinition definition = study.definition();
        Instant lease;
        if (renewRunning(study, number, now)) {
            lease = now.plusSeconds(definition.leaseSeconds());
        } else {
            Locked locked = lock(projectId, name, study, number);
            study = locked.study();
            locked.trial().renewLease(now, definition.leaseSeconds());
            writeLease(locked.trial());
            lease = locked.trial().leaseExpiresAt();
        }
        long studyId = study.id();
        intermediate.record(studyId, number, step, value, now).ifPresent(recorded -> {
            if (Double.compare(recorded, value) != 0) {
                throw TrialConflict.stepRecorded(number, step);
            }
        });
        PruningDecisions.Decision decision = pruning.decide(studyId, study.seed(), definition, number, step, value);
        metrics.pruning(definition.prunerName(),
                decision.prune() ? "prune" : decision.reason() != null ? "skipped" : "continue");
        return new ReportResult(decision.prune(), decision.reason(), lease);
    }

    /**
     * The hot path of heartbeat and report: one guarded UPDATE renews the lease of a RUNNING trial. It locks
     * the trial row as the full path does. False when it did not apply (trial absent, not RUNNING, or the cached
     * id is stale): the caller then takes the full path, whose entity decides the answer.
     */
    private boolean renewRunning(StudyKey study, long number, Instant now) {
        return jdbc.sql("""
                        update trial set lease_expires_at = :lease
                        where study_id = :study and number = :number and state = 'RUNNING'""")
                .param("lease", Timestamp.from(now.plusSeconds(study.definition().leaseSeconds())))
                .param("study", study.id()).param("number", number)
                .update() == 1;
    }
}
