package dev.tellus.auth;

import dev.tellus.TellusProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The audit trail: every mutating API request (who, what, when, the status it got) in the append-only table
 * {@code audit_event}. Events are written in batches a quarter of a second after the request, off the request's
 * path, so auditing an ask costs it no database round trip; a replica that crashes loses at most that quarter
 * second of events (a graceful shutdown writes them). Reading the trail through the API writes this replica's
 * pending events first.
 */
@Component
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final int CAPACITY = 100_000;

    /** One request; projectId null when only the project's name is known (the operator's project endpoints). */
    record Event(Long projectId, String projectName, Instant at, UUID keyId, String keyName, String method, String path,
                 int status) {
    }

    private final BlockingQueue<Event> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final TellusProperties properties;

    AuditTrail(JdbcTemplate jdbcTemplate, JdbcClient jdbc, Clock clock, TellusProperties properties) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    void record(Event event) {
        if (!pending.offer(event)) {
            log.warn("Audit queue full ({} events): the database is not keeping up; event dropped: {} {} {}",
                    CAPACITY, event.method(), event.path(), event.status());
        }
    }

    /** Writes every pending event of this replica. */
    @Scheduled(fixedDelay = 250)
    public synchronized void flush() {
        List<Event> batch = new ArrayList<>();
        while (pending.drainTo(batch, 1000) > 0) {
            try {
                write(batch);
            } catch (RuntimeException e) {
                log.warn("Could not write {} audit events, keeping them for the next pass: {}", batch.size(), e.getMessage());
                batch.forEach(pending::offer);
                return;
            }
            batch.clear();
        }
    }

    private void write(List<Event> batch) {
        jdbcTemplate.batchUpdate("""
                        insert into audit_event (project_id, at, key_id, key_name, method, path, status)
                        values (coalesce(?, (select id from project where name = ?)), ?, ?, ?, ?, ?, ?)""",
                batch, batch.size(), (ps, e) -> {
                    ps.setObject(1, e.projectId(), Types.BIGINT);
                    ps.setString(2, e.projectName());
                    ps.setTimestamp(3, Timestamp.from(e.at()));
                    ps.setObject(4, e.keyId());
                    ps.setString(5, e.keyName());
                    ps.setString(6, e.method());
                    ps.setString(7, e.path());
                    ps.setInt(8, e.status());
                });
    }

    @PreDestroy
    void writeBeforeShutdown() {
        flush();
    }

    /** Deletes events older than {@code tellus.audit-retention} (30 days by default), hourly. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public int applyRetention() {
        int deleted = jdbc.sql("delete from audit_event where at < :cutoff")
                .param("cutoff", Timestamp.from(clock.instant().minus(properties.auditRetention()))).update();
        if (deleted > 0) {
            log.info("Audit retention: deleted {} events older than {}", deleted, properties.auditRetention());
        }
        return deleted;
    }
}
