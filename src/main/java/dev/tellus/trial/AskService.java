package dev.tellus.trial;

import dev.tellus.TellusProperties;
import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.Studies;
import dev.tellus.study.StudyState;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.random.RandomSearch;
import dev.tellus.strategy.tpe.TreeParzenEstimator;
import dev.tellus.trial.StudyKeys.StudyKey;
import jakarta.persistence.EntityManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The paths that take a study's row lock and number trials: ask, enqueue and the reaper's retries. Lock order:
 * study, then trials, always.
 *
 * <p>An ask is lean: the study's id comes from {@link StudyKeys}; one statement locks the study and reads
 * everything the ask needs (state, counter, whether WAITING trials exist, the strategy's state); one statement
 * writes the new trials, the counter and a changed strategy state; then the commit. Concurrent asks of one study
 * in this replica share that transaction ({@link AskGroups}).
 */
@Service
public class AskService {

    /** A batch hands out at most this many trials (the API's largest single ask is 100). */
    private static final int MAX_TRIALS_PER_BATCH = 200;

    private final StudyKeys keys;
    private final Studies studies;
    private final StudyDefinitions definitions;
    private final TrialRepository trials;
    private final StrategyStates states;
    private final IdempotencyKeys idempotency;
    private final FinishedTrials finishedTrials;
    private final TrialMetrics metrics;
    private final EntityManager entities;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final TellusProperties properties;
    private final TransactionTemplate transaction;
    private final AskGroups<AskResult> groups = new AskGroups<>(MAX_TRIALS_PER_BATCH);

    AskService(StudyKeys keys, Studies studies, StudyDefinitions definitions, TrialRepository trials,
               StrategyStates states, IdempotencyKeys idempotency, FinishedTrials finishedTrials, TrialMetrics metrics,
               EntityManager entities, JdbcClient jdbc, JsonMapper json, Clock clock, TellusProperties properties,
               PlatformTransactionManager transactions) {
        this.keys = keys;
        this.studies = studies;
        this.definitions = definitions;
        this.trials = trials;
        this.states = states;
        this.idempotency = idempotency;
        this.finishedTrials = finishedTrials;
        this.metrics = metrics;
        this.entities = entities;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** What an ask hands out; when empty, whether the study is done or the worker should retry later. */
    public record AskResult(List<TrialResponse> trials, boolean done, Integer retryAfterSeconds) {

        /** The metrics label: trials handed out, done, or wait (retry later). */
        String outcome() {
            return !trials.isEmpty() ? "trials" : done ? "done" : "wait";
        }
    }

    /**
     * Hands out up to count trials. With an idempotency key, a repeated request (same worker and count) gets
     * the stored answer instead of new trials; asks of a study are serialised by its lock, so two concurrent
     * asks with one key cannot both do the work. Called outside a transaction: each batch is one.
     */
    public AskResult ask(long projectId, String name, String worker, int count, String idempotencyKey) {
        long started = System.nanoTime();
        StudyKey study = keys.resolve(projectId, name);
        AskResult result;
        try {
            result = idempotencyKey == null
                    ? groups.ask(study.id(), worker, count, batch -> serve(study, batch))
                    : transaction.execute(tx -> askOnce(study, worker, count, idempotencyKey));
        } catch (StudyGone gone) {
            // The cached id matched no row: the study was deleted (or deleted and created again). Ask afresh.
            keys.forget(projectId, name, study);
            return ask(projectId, name, worker, count, idempotencyKey);
        }
        metrics.ask(study.definition().strategyName(), result.outcome(), System.nanoTime() - started);
        return result;
    }

    /**
     * A batch of asks without idempotency keys: for a {@code random} or {@code tpe} study without a trial budget,
     * first the optimistic path (no lock held while proposing: one statement for random, two for tpe); else, or
     * when it did not apply, the locking path in a transaction.
     */
    private List<AskResult> serve(StudyKey study, List<AskGroups.Request<AskResult>> batch) {
        StudyDefinition definition = study.definition();
        int attempts = optimisticAttempts(definition);
        if (attempts > 0 && definition.maxTrials() == null) {
            Long first = expectedNext.get(study.id());
            if (first != null) {
                List<AskResult> answers = handOutOptimistically(study, first, batch, attempts);
                if (answers != null) {
                    return answers;
                }
            }
        }
        return transaction.execute(tx -> handOut(study, batch));
    }

    /** Per study, the next trial number as this replica last wrote or read it (a guess: the optimistic ask checks it). */
    private final Map<Long, Long> expectedNext = new ConcurrentHashMap<>();

    /**
     * The optimistic ask of a strategy that keeps no state ({@code random}, {@code tpe}: see
     * {@link #optimisticAttempts}): it proposes for the numbers this replica expects next (tpe from the trials it
     * reads first, without a lock), then one statement, committed on its own, advances the counter and inserts
     * the trials if and only if the counter is still where expected, the study is ACTIVE and no WAITING trial
     * (enqueued, or a retry) must be handed out first. Whatever moved the counter (another replica's ask, an
     * enqueue, the reaper's retry) or the study's state (pause, completion) updated the study row, and PostgreSQL
     * re-checks the condition against the row's newest version, so nothing is numbered twice and no WAITING trial
     * is skipped. Null when it did not apply: the caller takes the locking path, which decides.
     */
    private List<AskResult> handOutOptimistically(StudyKey study, long first, List<AskGroups.Request<AskResult>> requests,
                                                  int attempts) {
        StudyDefinition definition = study.definition();
        Instant now = clock.instant();
        List<Integer> owners = owners(requests);
        boolean windowed = definition.strategy() instanceof RandomSearch;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int window = windowed ? windows.getOrDefault(study.id(), 0) : 0;
            var context = new AskContext(definition.space(), definition.directions(), study.seed(), first,
                    owners.size() + window, StrategyState.EMPTY, new DatabaseHistory(jdbc, json, definition.space(),
                    study.id(), definition.objectives().size(), finishedTrials),
                    AskContext.referenceAsLosses(definition.reference(), definition.directions()));
            ProposalBatch batch = definition.strategy().propose(context);
            if (batch.proposals().size() != owners.size() + window || batch.exhausted()
                    || !StrategyState.EMPTY.equals(batch.state())) {
                return null;
            }
            Guarded outcome = insertGuarded(study, first, batch.proposals(), requests, owners, now);
            if (outcome.first() != null) {
                long at = outcome.first();
                int offset = (int) (at - first);
                List<Trial> proposed = proposedTrials(study, at,
                        batch.proposals().subList(offset, offset + owners.size()), requests, owners, 0, now);
                expectedNext.put(study.id(), at + owners.size());
                if (windowed) {
                    widen(study.id(), window, at - first);
                }
                return answers(definition, requests, owners, proposed, study.id(), false);
            }
            // Another replica moved the counter past the window: propose again for the numbers it is at now, from a
            // fresh read of the history (a random proposal costs microseconds, a tpe one about a millisecond).
            // Anything else (WAITING trials, a pause, a counter moved after the statement's snapshot) is left to the
            // locking path.
            if (outcome.seen() == null || outcome.seen() == first) {
                break;
            }
            if (windowed) {
                widen(study.id(), window, outcome.seen() - first);
            }
            first = outcome.seen();
        }
        expectedNext.remove(study.id());
        return null;
    }

    /**
     * Per {@code random} study, how many numbers past this replica's guess its optimistic ask also proposes for.
     * A random proposal depends on nothing but its number, so the ask can send proposals for the numbers from its
     * guess to guess + window and let the statement insert those at the counter it finds: another replica's asks
     * in between then cost nothing instead of a failed statement and another round trip. Alone on a study the
     * guess is always right and the window stays 0; with other replicas it follows how far they moved the counter
     * between two asks of this one (twice the last jump, shrinking by one with each right guess). Unlike the exact
     * guard, a window passes a counter that an enqueue moved while the statement waited for the row, whose WAITING
     * trial the statement's snapshot does not see: the next ask hands it out (the enqueue and this ask were
     * concurrent), so nothing is skipped.
     */
    private final Map<Long, Integer> windows = new ConcurrentHashMap<>();

    /** The largest window: proposals are cheap, but every one is sent to the database. */
    private static final int MAX_WINDOW = 64;

    private void widen(long studyId, int window, long jump) {
        int next = (int) Math.min(MAX_WINDOW, Math.max(2 * jump, window - 1));
        if (next == 0) {
            windows.remove(studyId);
        } else {
            windows.put(studyId, next);
        }
    }

    /**
     * Optimistic tries of one ask before it takes the locking path. With two replicas asking one study, the counter
     * has nearly always moved since this replica's last ask; the next try, at the counter the failed statement saw,
     * succeeds unless the other replica commits within that one round trip. Every failed try is another replica's
     * success, so the study always moves on; a study whose asks mostly conflict pays one extra statement per ask.
     * (Asks used to lock for a second after a conflict: with two replicas on one study that made the locking path
     * the common one, and each replica's lock made the other's optimistic statements wait and fail.)
     */
    private static final int OPTIMISTIC_ATTEMPTS = 4;

    /**
     * How many optimistic tries an ask of this study gets; 0 = it always locks. Only strategies that keep no state
     * between asks and whose proposals depend on nothing but the seed, the trial numbers and the trials in the
     * database qualify: {@code random} ({@value #OPTIMISTIC_ATTEMPTS} tries) and {@code tpe} (2: each try proposes
     * again). For {@code tpe} the guard makes the optimistic ask see what the locking one would: the counter still
     * at the number this replica last handed out means no trial was created since, by anyone, so the running
     * trials it read (for the constant liar) are all there are, as under the lock. Strategies with state (gp,
     * cmaes, genetic, grid) lock: their state is read and written under the study's lock.
     */
    private static int optimisticAttempts(StudyDefinition definition) {
        return definition.strategy() instanceof RandomSearch ? OPTIMISTIC_ATTEMPTS
                : definition.strategy() instanceof TreeParzenEstimator ? 2 : 0;
    }

    /** One slot per trial wanted, in request order: slot i goes to the request owners[i]. */
    private static List<Integer> owners(List<? extends AskGroups.Request<?>> requests) {
        var owners = new ArrayList<Integer>();
        for (int r = 0; r < requests.size(); r++) {
            for (int k = 0; k < requests.get(r).count; k++) {
                owners.add(r);
            }
        }
        return owners;
    }

    /** The proposals as RUNNING trials numbered from first, slot by slot after the {@code skip} slots already served. */
    private static List<Trial> proposedTrials(StudyKey study, long first, List<Proposal> proposals,
                                              List<AskGroups.Request<AskResult>> requests, List<Integer> owners,
                                              int skip, Instant now) {
        var proposed = new ArrayList<Trial>(proposals.size());
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            String worker = requests.get(owners.get(skip + i)).worker;
            proposed.add(Trial.proposed(study.id(), first + i, p.params(), p.tags(), worker, now,
                    study.definition().leaseSeconds()));
        }
        return proposed;
    }

    /** The cached study id matched no study row. */
    private static final class StudyGone extends RuntimeException {
        StudyGone() {
            super(null, null, false, false);
        }
    }

    private AskResult askOnce(StudyKey study, String worker, int count, String idempotencyKey) {
        var request = new LinkedHashMap<String, Object>();
        request.put("worker", worker);
        request.put("count", count);
        String hash = IdempotencyKeys.hash("ask", json.writeValueAsString(request));
        // Locks the study first (serialising asks with the same key), then looks the key up.
        StudyRow row = lock(study.id());
        var stored = idempotency.find(study.id(), idempotencyKey);
        if (stored.isPresent()) {
            if (!stored.get().requestHash().equals(hash)) {
                throw new IdempotencyKeyReused(idempotencyKey);
            }
            metrics.replay("ask");
            return json.readValue(stored.get().response(), AskResult.class);
        }
        AskResult result = handOut(study, row, List.of(new AskGroups.Request<>(worker, count))).get(0);
        // A tell of this study may have taken the key meanwhile (keys are per study): then nothing is handed out.
        if (!idempotency.store(study.id(), idempotencyKey, hash, json.writeValueAsString(result), clock.instant())) {
            throw new IdempotencyKeyReused(idempotencyKey);
        }
        return result;
    }

    /** What an ask reads with the study's lock, in one statement. */
    private record StudyRow(StudyState state, long nextNumber, boolean waiting, StrategyState strategyState) {
    }

    private StudyRow lock(long studyId) {
        long started = System.nanoTime();
        StudyRow row = jdbc.sql("""
                        select s.state, s.next_number,
                               exists (select 1 from trial t where t.study_id = :study and t.state = 'WAITING'),
                               st.format, st.document::text
                        from study s left join strategy_state st on st.study_id = :study
                        where s.id = :study for no key update of s""")
                .param("study", studyId)
                .query((rs, i) -> new StudyRow(StudyState.valueOf(rs.getString(1)), rs.getLong(2), rs.getBoolean(3),
                        states.parse((Integer) rs.getObject(4), rs.getString(5))))
                .optional().orElseThrow(StudyGone::new);
        metrics.studyLock("ask", System.nanoTime() - started);
        return row;
    }

    private List<AskResult> handOut(StudyKey study, List<AskGroups.Request<AskResult>> requests) {
        return handOut(study, lock(study.id()), requests);
    }

    /** Serves a batch of asks in the caller's transaction, which holds the study's lock. */
    private List<AskResult> handOut(StudyKey study, StudyRow row, List<AskGroups.Request<AskResult>> requests) {
        StudyDefinition definition = study.definition();
        if (row.state() == StudyState.COMPLETED) {
            return same(requests, new AskResult(List.of(), true, null));
        }
        if (row.state() == StudyState.PAUSED) {
            return same(requests, new AskResult(List.of(), false, properties.retryAfterSeconds()));
        }
        Instant now = clock.instant();
        List<Integer> owners = owners(requests);
        var handed = new ArrayList<Trial>(owners.size());
        if (row.waiting()) {
            for (Trial waiting : trials.lockWaiting(study.id(), owners.size())) {
                waiting.start(requests.get(owners.get(handed.size())).worker, now, definition.leaseSeconds());
                handed.add(waiting);
            }
        }
        int wanted = owners.size() - handed.size();
        boolean budgetReached = false;
        boolean exhausted = false;
        long next = row.nextNumber();
        if (wanted > 0 && definition.maxTrials() != null) {
            long counted = row.nextNumber() - countInState(study.id(), "FAILED");
            long left = Math.max(0, definition.maxTrials() - counted);
            budgetReached = left <= wanted;
            wanted = (int) Math.min(wanted, left);
        }
        if (wanted > 0) {
            var context = new AskContext(definition.space(), definition.directions(), study.seed(), row.nextNumber(),
                    wanted, row.strategyState(), new DatabaseHistory(jdbc, json, definition.space(), study.id(),
                    definition.objectives().size(), finishedTrials),
                    AskContext.referenceAsLosses(definition.reference(), definition.directions()));
            ProposalBatch batch = definition.strategy().propose(context);
            exhausted = batch.exhausted();
            List<Trial> proposed = proposedTrials(study, row.nextNumber(), batch.proposals(), requests, owners,
                    handed.size(), now);
            insert(study, row.nextNumber(), batch.proposals(), workers(requests, owners, handed.size(), proposed.size()),
                    now);
            states.save(study.id(), row.strategyState(), batch.state(), now);
            handed.addAll(proposed);
            next += proposed.size();
        }
        // What this replica expects next (a guess for the optimistic ask; it is checked there).
        expectedNext.put(study.id(), next);
        return answers(definition, requests, owners, handed, study.id(), budgetReached || exhausted);
    }

    /** Each request's trials, or (for a request that got none) why nothing was handed out. */
    private List<AskResult> answers(StudyDefinition definition, List<AskGroups.Request<AskResult>> requests,
                                    List<Integer> owners, List<Trial> handed, long studyId, boolean noMoreProposals) {
        Instant now = clock.instant();
        var answers = new ArrayList<List<TrialResponse>>();
        requests.forEach(r -> answers.add(new ArrayList<>()));
        for (int i = 0; i < handed.size(); i++) {
            answers.get(owners.get(i)).add(TrialResponse.of(handed.get(i), definition.space(), List.of()));
        }
        AskResult empty = null;
        var out = new ArrayList<AskResult>(requests.size());
        for (List<TrialResponse> mine : answers) {
            if (!mine.isEmpty()) {
                out.add(new AskResult(mine, false, null));
                continue;
            }
            if (empty == null) {
                empty = nothingToHandOut(studyId, noMoreProposals, now);
            }
            out.add(empty);
        }
        return out;
    }

    /** Done only if nothing running could still change that (a failure frees budget); else retry later. */
    private AskResult nothingToHandOut(long studyId, boolean noMoreProposals, Instant now) {
        if (noMoreProposals && countInState(studyId, "WAITING", "RUNNING") == 0) {
            jdbc.sql("update study set state = 'COMPLETED', updated_at = :now where id = :study and state = 'ACTIVE'")
                    .param("now", Timestamp.from(now)).param("study", studyId).update();
            return new AskResult(List.of(), true, null);
        }
        return new AskResult(List.of(), false, properties.retryAfterSeconds());
    }

    /**
     * The proposed trials and the study's advanced counter in one statement (one round trip for any number of
     * trials): proposal i becomes trial first + i of workers[i], with the fields {@link Trial#proposed} gives it.
     * Returns the trials inserted.
     */
    private int insert(StudyKey study, long first, List<Proposal> proposals, String[] workers, Instant now) {
        return jdbc.sql("with counter as (" + ADVANCE + " returning next_number - :count as first)\n" + INSERT)
                .param("study", study.id()).param("count", workers.length).param("now", Timestamp.from(now))
                .param("rows", rows(first, proposals)).param("workers", workers)
                .param("lease", Timestamp.from(now.plusSeconds(study.definition().leaseSeconds())))
                .update();
    }

    /**
     * What a guarded insert did: the number it inserted from (null when it inserted nothing), else the counter as
     * the statement's snapshot saw it (null when the study is gone).
     */
    private record Guarded(Long first, Long seen) {
    }

    /**
     * {@link #insert} guarded by {@link #OPTIMISTIC_GUARD} (the optimistic ask): nothing is written unless the study
     * row passes it. The proposals are for the numbers from {@code first} on, one per slot plus the window's; the
     * statement inserts one per slot from the counter it finds, which must be within the window. Also answers the
     * counter the statement saw when it inserted nothing, so a replica that lost the race can try again at the
     * right number without another round trip.
     */
    private Guarded insertGuarded(StudyKey study, long first, List<Proposal> proposals,
                                  List<AskGroups.Request<AskResult>> requests, List<Integer> owners, Instant now) {
        String[] workers = workers(requests, owners, 0, owners.size());
        return jdbc.sql("with counter as (" + ADVANCE + OPTIMISTIC_GUARD + " returning next_number - :count as first),\n"
                        + "inserted as (" + INSERT + " returning 1)\n"
                        + "select (select first from counter) as first, case when not exists (select 1 from counter)"
                        + " then (select next_number from study where id = :study) end as seen"
                        + " from (select count(*) from inserted) i")
                .param("study", study.id()).param("first", first).param("last", first + proposals.size() - workers.length)
                .param("count", workers.length).param("now", Timestamp.from(now))
                .param("rows", rows(first, proposals)).param("workers", workers)
                .param("lease", Timestamp.from(now.plusSeconds(study.definition().leaseSeconds())))
                .query((rs, n) -> new Guarded(rs.getObject("first", Long.class), rs.getObject("seen", Long.class)))
                .single();
    }

    private static final String ADVANCE = """
            update study set next_number = next_number + :count, updated_at = :now where id = :study""";

    /**
     * Inserts the rows whose numbers the counter just handed out, slot by slot: the worker of slot i gets number
     * first + i. Rows outside (a window's spare proposals) are not inserted.
     */
    private static final String INSERT = """
            insert into trial (study_id, number, state, params, tags, worker, attributes, created_at,
                               started_at, lease_expires_at, attempt)
            select :study, r.number, 'RUNNING', r.params, r.tags, w.worker, '{}', :now, :now, :lease, 1
            from counter cross join jsonb_to_recordset(cast(:rows as jsonb)) as r(number bigint, params jsonb, tags jsonb)
                 join unnest(cast(:workers as text[])) with ordinality as w(worker, slot)
                   on r.number = counter.first + w.slot - 1""";

    /**
     * What the optimistic ask requires of the study row it advances (no lock was taken before): the counter within
     * the window from where this replica expects it (exactly there unless the window is open), the study ACTIVE,
     * no WAITING trial to hand out first.
     */
    private static final String OPTIMISTIC_GUARD = """

                                and next_number between :first and :last and state = 'ACTIVE'
                                and not exists (select 1 from trial w where w.study_id = :study and w.state = 'WAITING')""";

    /** The workers of slots skip .. skip + count - 1, in slot order: the worker of the i-th inserted trial. */
    private static String[] workers(List<AskGroups.Request<AskResult>> requests, List<Integer> owners, int skip,
                                    int count) {
        var workers = new String[count];
        for (int i = 0; i < count; i++) {
            workers[i] = requests.get(owners.get(skip + i)).worker;
        }
        return workers;
    }

    /** The proposals for the numbers from first on, as the JSON array the inserts read with jsonb_to_recordset. */
    private String rows(long first, List<Proposal> proposals) {
        var rows = new ArrayList<Map<String, Object>>(proposals.size());
        for (int i = 0; i < proposals.size(); i++) {
            var row = new LinkedHashMap<String, Object>();
            row.put("number", first + i);
            row.put("params", proposals.get(i).params());
            row.put("tags", proposals.get(i).tags());
            rows.add(row);
        }
        return json.writeValueAsString(rows);
    }

    private long countInState(long studyId, String... states) {
        return jdbc.sql("select count(*) from trial where study_id = :study and state = any(:states)")
                .param("study", studyId).param("states", states).query(Long.class).single();
    }

    private static <T> List<T> same(List<?> requests, T answer) {
        return requests.stream().map(r -> answer).toList();
    }

    /** Enqueues params to be handed out next, or imports a finished result when values are given. */
    @Transactional
    public TrialResponse enqueue(long projectId, String name, EnqueueRequest request) {
        long started = System.nanoTime();
        Study study = studies.lock(projectId, name);
        metrics.studyLock("enqueue", System.nanoTime() - started);
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
                metrics.leaseRetried();
            }
        }
        metrics.leasesExpired(reaped);
        return reaped;
    }
}
