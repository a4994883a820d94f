package dev.tellus.trial;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tellus's own metrics, served on /actuator/prometheus. Labels stay bounded: strategy and pruner names (a fixed
 * set), outcomes and operations (a few values each); never study names or trial numbers. Latencies are timers
 * with histogram buckets, so a dashboard computes p50/p95/p99 over any set of replicas
 * ({@code histogram_quantile(0.99, sum by (le) (rate(tellus_ask_seconds_bucket[5m])))}).
 */
@Component
class TrialMetrics {

    /** Bucket range of the latency histograms: asks of a random study take ~1 ms, a GP ask up to ~0.5 s. */
    private static final Duration LOWEST = Duration.ofMillis(1);
    private static final Duration HIGHEST = Duration.ofSeconds(10);
    /** How long the trials-running count is reused, so frequent scrapes by several collectors cost one count. */
    private static final long RUNNING_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final MeterRegistry registry;
    private final JdbcClient jdbc;
    /** Meters by name and tags: building a meter's id (sorting its tags) on every request costs more than recording. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter leasesExpired;
    private final Counter leasesRetried;
    private volatile long runningAt;
    private volatile double running = Double.NaN;

    TrialMetrics(MeterRegistry registry, JdbcClient jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.leasesExpired = Counter.builder("tellus.leases.expired")
                .description("Running trials failed because their lease expired").register(registry);
        this.leasesRetried = Counter.builder("tellus.leases.retried")
                .description("Trials enqueued again after their lease expired (maxRetries allowed it)").register(registry);
        Gauge.builder("tellus.trials.running", this, TrialMetrics::runningTrials)
                .description("Trials in state RUNNING, over all studies (counted at most every 5 s)").register(registry);
    }

    /** An ask answered: outcome is trials (some handed out), wait (retry later), done, replay or error. */
    void ask(String strategy, String outcome, long nanos) {
        timer("tellus.ask", "Ask latency by strategy and outcome", strategy, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A tell answered: outcome is the trial's state (completed, pruned, failed), replay or error. */
    void tell(String strategy, String outcome, long nanos) {
        timer("tellus.tell", "Tell latency by strategy and outcome", strategy, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time to obtain a study's row lock (the statement's round trip plus any wait behind other asks). */
    void studyLock(String operation, long nanos) {
        timers.computeIfAbsent("tellus.study.lock.wait\0" + operation, key -> Timer.builder("tellus.study.lock.wait")
                .description("Time to lock a study's row, including waiting for it")
                .tag("operation", operation).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(HIGHEST)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void leasesExpired(int count) {
        leasesExpired.increment(count);
    }

    void leaseRetried() {
        leasesRetried.increment();
    }

    /** A report answered: decision is prune, continue, or skipped (the pruner was not asked, with a reason). */
    void pruning(String pruner, String decision) {
        counters.computeIfAbsent("tellus.pruning.decisions\0" + pruner + "\0" + decision,
                key -> Counter.builder("tellus.pruning.decisions").description("Answers to reports, by pruner and decision")
                        .tag("pruner", pruner).tag("decision", decision).register(registry)).increment();
    }

    /** A request with an Idempotency-Key answered from the stored response. */
    void replay(String operation) {
        counters.computeIfAbsent("tellus.idempotent.replays\0" + operation,
                key -> Counter.builder("tellus.idempotent.replays")
                        .description("Requests answered from a stored idempotent response")
                        .tag("operation", operation).register(registry)).increment();
    }

    private Timer timer(String name, String description, String strategy, String outcome) {
        return timers.computeIfAbsent(name + "\0" + strategy + "\0" + outcome, key -> Timer.builder(name)
                .description(description).tag("strategy", strategy).tag("outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(LOWEST).maximumExpectedValue(HIGHEST)
                .register(registry));
    }

    private double runningTrials() {
        long now = System.nanoTime();
        if (now - runningAt > RUNNING_TTL_NANOS) {
            try {
                running = jdbc.sql("select count(*) from trial where state = 'RUNNING'").query(Long.class).single();
            } catch (DataAccessException e) {
                running = Double.NaN;
            }
            runningAt = now;
        }
        return running;
    }
}
