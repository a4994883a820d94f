package dev.tellus.trial;

import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.Studies;
import dev.tellus.strategy.AskContext;
import dev.tellus.history.Direction;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.support.Pareto;
import dev.tellus.history.TrialStatus;
import dev.tellus.trial.TrialResponse.IntermediateValue;
import dev.tellus.web.InvalidRequest;
import dev.tellus.TellusProperties;
import jakarta.persistence.EntityManager;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ask, tell, heartbeat, report, enqueue and trial reads. Every public method is one transaction. Ask and
 * enqueue lock the study's row (study before trials, always); tell, heartbeat and report lock one trial row.
 */
@Service
public class TrialService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Studies studies;
    private final StudyDefinitions definitions;
    private final TrialRepository trials;
    private final IntermediateValues intermediate;
    private final PruningDecisions pruning;
    private final EntityManager entities;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final TellusProperties properties;
    private final IdempotencyKeys keys;
    private final FinishedTrials finishedTrials;
    /** Study id and seed by name, for the heartbeat/report fast path; bounded, entries are only hints. */
    private final Map<String, StudyKey> studyKeys = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, StudyKey> eldest) {
                    return size() > 4096;
                }
            });

    TrialService(Studies studies, StudyDefinitions definitions, TrialRepository trials,
                 IntermediateValues intermediate, PruningDecisions pruning, EntityManager entities, JdbcClient jdbc,
                 JsonMapper json, Clock clock, TellusProperties properties, IdempotencyKeys keys,
                 FinishedTrials finishedTrials) {
        this.keys = keys;
        this.finishedTrials = finishedTrials;
        this.studies = studies;
        this.definitions = definitions;
        this.trials = trials;
        this.intermediate = intermediate;
        this.pruning = pruning;
        this.entities = entities;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
    }

    /** What an ask hands out; when empty, whether the study is done or the worker should retry later. */
    public record AskResult(List<TrialResponse> trials, boolean done, Integer retryAfterSeconds) {
    }

    /**
     * Hands out up to count trials. With an idempotency key, a repeated request (same worker and count) gets
     * the stored answer instead of new trials; asks of a study are serialised by its lock, so two concurrent
     * asks with one key cannot both do the work.
     */
    @Transactional
    public AskResult ask(long projectId, String name, String worker, int count, String idempotencyKey) {
        Study study = studies.lock(projectId, name);
        if (idempotencyKey == null) {
            return ask(study, worker, count);
        }
        var request = new java.util.LinkedHashMap<String, Object>();
        request.put("worker", worker);
        request.put("count", count);
        String hash = IdempotencyKeys.hash("ask", json.writeValueAsString(request));
        var stored = keys.find(study.id(), idempotencyKey);
        if (stored.isPresent()) {
            return replay(stored.get(), hash, idempotencyKey, AskResult.class);
        }
        AskResult result = ask(study, worker, count);
        // A tell of this study may have taken the key meanwhile (keys are per study): then nothing is handed out.
        if (!keys.store(study.id(), idempotencyKey, hash, json.writeValueAsString(result), clock.instant())) {
            throw new IdempotencyKeyReused(idempotencyKey);
        }
        return result;
    }

    private <T> T replay(IdempotencyKeys.Stored stored, String hash, String key, Class<T> type) {
        if (!stored.requestHash().equals(hash)) {
            throw new IdempotencyKeyReused(key);
        }
        return json.readValue(stored.response(), type);
    }

    private AskResult ask(Study study, String worker, int count) {
        StudyDefinition definition = definitions.of(study);
        if (study.isCompleted()) {
            return new AskResult(List.of(), true, null);
        }
        if (study.isPaused()) {
            return new AskResult(List.of(), false, properties.retryAfterSeconds());
        }
        Instant now = clock.instant();
        var handed = new ArrayList<Trial>(count);
        for (Trial waiting : trials.lockWaiting(study.id(), count)) {
            waiting.start(worker, now, definition.leaseSeconds());
            handed.add(waiting);
        }

        int wanted = count - handed.size();
        boolean budgetReached = false;
        boolean exhausted = false;
        if (wanted > 0 && definition.maxTrials() != null) {
            long counted = study.nextNumber() - countInState(study.id(), "FAILED");
            long left = Math.max(0, definition.maxTrials() - counted);
            budgetReached = left <= wanted;
            wanted = (int) Math.min(wanted, left);
        }
        if (wanted > 0) {
            ProposalBatch batch = propose(study, definition, wanted);
            exhausted = batch.exhausted();
            long first = study.allocateNumbers(batch.proposals().size(), now);
            for (int i = 0; i < batch.proposals().size(); i++) {
                Proposal p = batch.proposals().get(i);
                Trial t = Trial.proposed(study.id(), first + i, p.params(), p.tags(), worker, now, definition.leaseSeconds());
                entities.persist(t);
                handed.add(t);
            }
        }

        var out = handed.stream().map(t -> TrialResponse.of(t, definition.space(), List.of())).toList();
        if (!out.isEmpty()) {
            return new AskResult(out, false, null);
        }
        // Nothing to hand out: done only if nothing running could still change that (a failure frees budget).
        boolean open = countInState(study.id(), "WAITING", "RUNNING") > 0;
        if ((budgetReached || exhausted) && !open) {
            study.complete(now);
            return new AskResult(List.of(), true, null);
        }
        return new AskResult(List.of(), false, properties.retryAfterSeconds());
    }

    private ProposalBatch propose(Study study, StudyDefinition definition, int count) {
        StrategyState state = jdbc.sql("select format, document::text from strategy_state where study_id = :study")
                .param("study", study.id())
                .query((rs, i) -> new StrategyState(rs.getInt(1), json.readValue(rs.getString(2), MAP)))
                .optional().orElse(StrategyState.EMPTY);
        var context = new AskContext(definition.space(), definition.directions(), study.seed(), study.nextNumber(),
                count, state, new DatabaseHistory(jdbc, json, definition.space(), study.id(),
                definition.objectives().size(), finishedTrials));
        ProposalBatch batch = definition.strategy().propose(context);
        if (!batch.state().equals(state)) {
            jdbc.sql("""
                            insert into strategy_state (study_id, format, document, updated_at)
                            values (:study, :format, cast(:document as jsonb), :now)
                            on conflict (study_id) do update set format = excluded.format,
                                document = excluded.document, updated_at = excluded.updated_at""")
                    .param("study", study.id()).param("format", batch.state().format())
                    .param("document", json.writeValueAsString(batch.state().document()))
                    .param("now", Timestamp.from(clock.instant())).update();
        }
        return batch;
    }

    private long countInState(long studyId, String... states) {
        return jdbc.sql("select count(*) from trial where study_id = :study and state = any(:states)")
                .param("study", studyId).param("states", states).query(Long.class).single();
    }

    /**
     * Records a trial's outcome. A late result for a trial failed only because its lease expired is kept,
     * and a retry of it that has not started yet is withdrawn, so the params do not run twice.
     */
    @Transactional
    public TrialResponse tell(long projectId, String name, long number, TellRequest request, String idempotencyKey) {
        Study study = studies.find(projectId, name);
        StudyDefinition definition = definitions.of(study);
        Outcome outcome = request.outcome(definition.objectives().size(), definition.constraints().size());
        Trial trial = trials.lockOne(study.id(), number).orElseThrow(() -> new TrialNotFound(name, number));
        String hash = null;
        if (idempotencyKey != null) {
            hash = IdempotencyKeys.hash("tell:" + number, json.writeValueAsString(request));
            var stored = keys.find(study.id(), idempotencyKey);
            if (stored.isPresent()) {
                return replay(stored.get(), hash, idempotencyKey, TrialResponse.class);
            }
        }
        Instant now = clock.instant();
        boolean late = trial.isLeaseExpiredFailure();
        if (trial.tell(outcome, request.attributes(), now) && late) {
            trials.lockWaitingRetries(study.id(), number).forEach(retry -> retry.supersede(number, now));
        }
        TrialResponse response = TrialResponse.of(trial, definition.space(), intermediate.of(study.id(), number));
        if (idempotencyKey != null && !keys.store(study.id(), idempotencyKey, hash, json.writeValueAsString(response), now)) {
            throw new IdempotencyKeyReused(idempotencyKey);
        }
        return response;
    }

    /**
     * Fails the study's running trials whose lease expired and, while maxRetries allows, enqueues their
     * params again as WAITING trials (handed out first by the next ask). Lock order: study, then trials.
     */
    @Transactional
    public int reapExpired(long studyId) {
        Study study = studies.lockUnlessBusy(studyId).orElse(null);
        if (study == null) {
            return 0;
        }
        StudyDefinition definition = definitions.of(study);
        Instant now = clock.instant();
        int reaped = 0;
        for (Trial trial : trials.lockExpired(studyId, now, properties.reaperBatch())) {
            if (!trial.expireLease(now)) {
                continue;
            }
            reaped++;
            if (trial.attempt() <= definition.maxRetries() && !study.isCompleted()) {
                entities.persist(trial.retry(study.allocateNumbers(1, now), now));
            }
        }
        return reaped;
    }

    @Transactional
    public Instant heartbeat(long projectId, String name, long number) {
        Renewal fast = renewRunning(projectId, name, number, clock.instant());
        if (fast != null) {
            return fast.leaseExpiresAt();
        }
        Study study = studies.find(projectId, name);
        StudyDefinition definition = definitions.of(study);
        Trial trial = trials.lockOne(study.id(), number).orElseThrow(() -> new TrialNotFound(name, number));
        trial.renewLease(clock.instant(), definition.leaseSeconds());
        studyKeys.put(cacheKey(projectId, name), new StudyKey(study.id(), study.seed()));
        return trial.leaseExpiresAt();
    }

    /** The fast path's cache key: study names are unique per project only. */
    private static String cacheKey(long projectId, String name) {
        return projectId + "/" + name;
    }

    /** What the fast path needs of a study: its id and seed, which never change. */
    record StudyKey(long id, long seed) {
    }

    /** A lease renewed by the fast path, with what the caller needs of its study. */
    private record Renewal(StudyKey study, StudyDefinition definition, Instant leaseExpiresAt) {
    }

    /**
     * The hot path of heartbeat and report: one guarded UPDATE renews the lease of a RUNNING trial, with the
     * study's id taken from this replica's cache (ids are never reused, so a stale entry matches no row). It
     * locks the trial row as the full path does. Null when it did not apply (study or definition not cached,
     * trial absent or not RUNNING): the caller then takes the full path, whose entity decides the answer.
     */
    private Renewal renewRunning(long projectId, String name, long number, Instant now) {
        StudyKey key = studyKeys.get(cacheKey(projectId, name));
        StudyDefinition definition = key == null ? null : definitions.cached(key.id());
        if (definition == null) {
            return null;
        }
        Instant lease = now.plusSeconds(definition.leaseSeconds());
        int renewed = jdbc.sql("""
                        update trial set lease_expires_at = :lease
                        where study_id = :study and number = :number and state = 'RUNNING'""")
                .param("lease", java.sql.Timestamp.from(lease)).param("study", key.id()).param("number", number)
                .update();
        return renewed == 1 ? new Renewal(key, definition, lease) : null;
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
        Renewal renewal = renewRunning(projectId, name, number, now);
        if (renewal == null) {
            Study study = studies.find(projectId, name);
            StudyDefinition definition = definitions.of(study);
            Trial trial = trials.lockOne(study.id(), number).orElseThrow(() -> new TrialNotFound(name, number));
            trial.renewLease(now, definition.leaseSeconds());
            StudyKey key = new StudyKey(study.id(), study.seed());
            studyKeys.put(cacheKey(projectId, name), key);
            renewal = new Renewal(key, definition, trial.leaseExpiresAt());
        }
        long studyId = renewal.study().id();
        intermediate.record(studyId, number, step, value, now).ifPresent(recorded -> {
            if (Double.compare(recorded, value) != 0) {
                throw TrialConflict.stepRecorded(number, step);
            }
        });
        PruningDecisions.Decision decision = pruning.decide(studyId, renewal.study().seed(), renewal.definition(),
                number, step, value);
        return new ReportResult(decision.prune(), decision.reason(), renewal.leaseExpiresAt());
    }

    /** Enqueues params to be handed out next, or imports a finished result when values are given. */
    @Transactional
    public TrialResponse enqueue(long projectId, String name, EnqueueRequest request) {
        Study study = studies.lock(projectId, name);
        StudyDefinition definition = definitions.of(study);
        Map<String, Object> params = definition.space().validateAssignment(request.params(), "params");
        double[] values = request.values(definition.objectives().size());
        double[] constraints = request.constraints(definition.constraints().size(), values != null);
        if (values == null && study.isCompleted()) {
            throw TrialConflict.studyCompleted(name);
        }
        Instant now = clock.instant();
        long number = study.allocateNumbers(1, now);
        Trial trial = values == null
                ? Trial.waiting(study.id(), number, params, request.attributes(), now)
                : Trial.imported(study.id(), number, params, values, constraints, request.attributes(), now);
        entities.persist(trial);
        return TrialResponse.of(trial, definition.space(), List.of());
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
        StudyDefinition definition = definitions.of(study);
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

    /** The best trials as clients see them, and whether they are feasible (see {@link BestTrials}). */
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
}
