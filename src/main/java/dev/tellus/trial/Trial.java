package dev.tellus.trial;

import dev.tellus.history.TrialStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A trial and its state machine: WAITING → RUNNING → COMPLETED | PRUNED | FAILED. The entity decides whether
 * a tell is a change, a retry of the same outcome (no-op) or a conflict.
 */
@Entity
@Table(name = "trial")
@IdClass(TrialId.class)
@DynamicUpdate
public class Trial {

    static final String LEASE_EXPIRED = "lease expired";

    @Id
    @Column(name = "study_id")
    private Long studyId;

    @Id
    private Long number;

    @Enumerated(EnumType.STRING)
    private TrialStatus state;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> params;

    @Column(name = "objective_values")
    private double[] values;

    @Column(name = "constraint_values")
    private double[] constraints;

    private String worker;

    private String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> attributes;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> tags;

    private Instant createdAt;

    private Instant startedAt;

    private Instant finishedAt;

    private Instant leaseExpiresAt;

    /** The trial whose params this one runs again after that one's lease expired, or null. */
    private Long retryOf;

    /** 1 for a first run; n + 1 for the retry of attempt n. */
    private int attempt = 1;

    protected Trial() {
    }

    private Trial(long studyId, long number, TrialStatus state, Map<String, Object> params, Map<String, Object> tags,
                  Instant now) {
        this.studyId = studyId;
        this.number = number;
        this.state = state;
        this.params = params;
        this.tags = tags == null ? Map.of() : tags;
        this.attributes = new HashMap<>();
        this.createdAt = now;
    }

    /** A trial enqueued by a client, handed out by the next ask. */
    static Trial waiting(long studyId, long number, Map<String, Object> params, Map<String, Object> attributes, Instant now) {
        Trial t = new Trial(studyId, number, TrialStatus.WAITING, params, Map.of(), now);
        t.mergeAttributes(attributes);
        return t;
    }

    /** A trial the strategy proposed, handed out at once. */
    static Trial proposed(long studyId, long number, Map<String, Object> params, Map<String, Object> tags, String worker,
                          Instant now, int leaseSeconds) {
        Trial t = new Trial(studyId, number, TrialStatus.WAITING, params, tags, now);
        t.start(worker, now, leaseSeconds);
        return t;
    }

    /** A finished result from elsewhere (warm start), which strategies learn from. */
    static Trial imported(long studyId, long number, Map<String, Object> params, double[] values, double[] constraints,
                          Map<String, Object> attributes, Instant now) {
        Trial t = new Trial(studyId, number, TrialStatus.COMPLETED, params, Map.of(), now);
        t.values = values;
        t.constraints = constraints;
        t.startedAt = now;
        t.finishedAt = now;
        t.mergeAttributes(attributes);
        return t;
    }

    /** A trial as read from its row (the tell path reads and writes rows with plain SQL, not through Hibernate). */
    static Trial restored(long studyId, long number, TrialStatus state, Map<String, Object> params, double[] values,
                          double[] constraints, String worker, String reason, Map<String, Object> attributes,
                          Map<String, Object> tags, Instant createdAt, Instant startedAt, Instant finishedAt,
                          Instant leaseExpiresAt, Long retryOf, int attempt) {
        Trial t = new Trial(studyId, number, state, params, tags, createdAt);
        t.values = values;
        t.constraints = constraints;
        t.worker = worker;
        t.reason = reason;
        t.attributes = attributes == null ? new HashMap<>() : attributes;
        t.startedAt = startedAt;
        t.finishedAt = finishedAt;
        t.leaseExpiresAt = leaseExpiresAt;
        t.retryOf = retryOf;
        t.attempt = attempt;
        return t;
    }

    /** The same params, enqueued again because this trial's lease expired; keeps the strategy's tags. */
    Trial retry(long newNumber, Instant now) {
        Trial t = new Trial(studyId, newNumber, TrialStatus.WAITING, params, tags, now);
        t.retryOf = number;
        t.attempt = attempt + 1;
        return t;
    }

    /** Whether the lease ran out: then the trial is FAILED with reason {@value #LEASE_EXPIRED}. */
    boolean expireLease(Instant now) {
        if (state != TrialStatus.RUNNING || leaseExpiresAt == null || leaseExpiresAt.isAfter(now)) {
            return false;
        }
        state = TrialStatus.FAILED;
        reason = LEASE_EXPIRED;
        finishedAt = now;
        leaseExpiresAt = null;
        return true;
    }

    /** A retry that is no longer needed because the original's late result arrived first. */
    boolean supersede(long original, Instant now) {
        if (state != TrialStatus.WAITING) {
            return false;
        }
        state = TrialStatus.FAILED;
        reason = "superseded by the late result of trial " + original;
        finishedAt = now;
        return true;
    }

    boolean isLeaseExpiredFailure() {
        return state == TrialStatus.FAILED && LEASE_EXPIRED.equals(reason);
    }

    void start(String worker, Instant now, int leaseSeconds) {
        this.state = TrialStatus.RUNNING;
        this.worker = worker;
        this.startedAt = now;
        this.leaseExpiresAt = now.plusSeconds(leaseSeconds);
    }

    /** Whether the tell changed the trial (false: the same outcome again, a retry). */
    boolean tell(Outcome outcome, Map<String, Object> newAttributes, Instant now) {
        if (state == TrialStatus.WAITING) {
            throw TrialConflict.notRunning(number, state.name());
        }
        if (state.isFinished()) {
            if (sameOutcome(outcome)) {
                return false;
            }
            boolean lateResult = state == TrialStatus.FAILED && LEASE_EXPIRED.equals(reason) && !(outcome instanceof Outcome.Failed);
            if (!lateResult) {
                throw TrialConflict.alreadyFinished(number, state.name());
            }
        }
        switch (outcome) {
            case Outcome.Completed c -> {
                state = TrialStatus.COMPLETED;
                values = c.values();
                constraints = c.constraints();
                reason = null;
            }
            case Outcome.Failed f -> {
                state = TrialStatus.FAILED;
                values = null;
                constraints = null;
                reason = f.reason();
            }
            case Outcome.Pruned p -> {
                state = TrialStatus.PRUNED;
                values = null;
                constraints = null;
                reason = null;
            }
        }
        finishedAt = now;
        leaseExpiresAt = null;
        mergeAttributes(newAttributes);
        return true;
    }

    private boolean sameOutcome(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Completed c -> state == TrialStatus.COMPLETED && java.util.Arrays.equals(values, c.values())
                    && java.util.Arrays.equals(constraints, c.constraints());
            case Outcome.Failed f -> state == TrialStatus.FAILED;
            case Outcome.Pruned p -> state == TrialStatus.PRUNED;
        };
    }

    /** Extends the lease of a running trial; anything else means the worker should stop. */
    void renewLease(Instant now, int leaseSeconds) {
        if (state != TrialStatus.RUNNING) {
            throw TrialConflict.notRunning(number, state.name());
        }
        leaseExpiresAt = now.plusSeconds(leaseSeconds);
    }

    private void mergeAttributes(Map<String, Object> more) {
        if (more != null && !more.isEmpty()) {
            var merged = new HashMap<>(attributes);
            merged.putAll(more);
            attributes = merged;
        }
    }

    public long studyId() {
        return studyId;
    }

    public long number() {
        return number;
    }

    public TrialStatus state() {
        return state;
    }

    public Map<String, Object> params() {
        return params;
    }

    public double[] values() {
        return values;
    }

    /** The constraint values told with the result, or null. */
    public double[] constraints() {
        return constraints;
    }

    public String worker() {
        return worker;
    }

    public String reason() {
        return reason;
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    public Map<String, Object> tags() {
        return tags;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Long retryOf() {
        return retryOf;
    }

    public int attempt() {
        return attempt;
    }
}
