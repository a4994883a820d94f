package dev.tellus.project;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tellus.TellusProperties;
import dev.tellus.web.QuotaExceeded;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The project's {@code maxRunningTrials}, checked before an ask. The count of running trials is read at most once
 * a second per project and replica, and this replica's own hand-outs are added to it until the next read, so the
 * ask path gains no round trip per request. Several replicas can together overshoot the limit by what they hand
 * out within that second; the quota is a guard against runaway fleets, not an exact reservation.
 */
@Component
public class RunningTrialQuota {

    private static final Duration REFRESH = Duration.ofSeconds(1);

    /** The limit and the estimate of running trials; the limit is null when the project has none. */
    private record Snapshot(Integer max, AtomicLong running) {
    }

    private final JdbcClient jdbc;
    private final TellusProperties properties;
    private final Cache<Long, Snapshot> byProject = Caffeine.newBuilder()
            .expireAfterWrite(REFRESH).maximumSize(10_000).build();

    RunningTrialQuota(JdbcClient jdbc, TellusProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Refuses (429 with Retry-After) an ask for count trials that would run the project past its limit. */
    public void reserve(long projectId, int count) {
        Snapshot snapshot = byProject.get(projectId, this::load);
        if (snapshot.max() == null) {
            return;
        }
        long after = snapshot.running().addAndGet(count);
        if (after > snapshot.max()) {
            snapshot.running().addAndGet(-count);
            throw QuotaExceeded.runningTrials(snapshot.max(), properties.retryAfterSeconds());
        }
    }

    /** Gives back what a reservation did not use (an ask that handed out fewer trials, or failed). */
    public void release(long projectId, int count) {
        Snapshot snapshot = byProject.getIfPresent(projectId);
        if (snapshot != null && snapshot.max() != null && count > 0) {
            snapshot.running().addAndGet(-count);
        }
    }

    private Snapshot load(long projectId) {
        Integer max = jdbc.sql("select max_running_trials from project where id = :project")
                .param("project", projectId).query(Integer.class).optional().orElse(null);
        if (max == null) {
            return new Snapshot(null, new AtomicLong());
        }
        long running = jdbc.sql("""
                        select count(*) from trial
                        where state = 'RUNNING' and study_id in (select id from study where project_id = :project)""")
                .param("project", projectId).query(Long.class).single();
        return new Snapshot(max, new AtomicLong(running));
    }
}
