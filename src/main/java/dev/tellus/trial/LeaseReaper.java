package dev.tellus.trial;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Runs in every replica: fails running trials whose lease expired (re-enqueueing their params while the
 * study's maxRetries allows) and forgets idempotency keys past their retention. Replicas never reap the same
 * trial twice: expired rows are taken with SKIP LOCKED under the study's lock.
 */
@Component
class LeaseReaper {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int STUDIES_PER_PASS = 100;

    private final AskService trials;
    private final IdempotencyKeys keys;
    private final JdbcClient jdbc;
    private final Clock clock;

    LeaseReaper(AskService trials, IdempotencyKeys keys, JdbcClient jdbc, Clock clock) {
        this.trials = trials;
        this.keys = keys;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${tellus.reaper-interval:PT5S}", initialDelayString = "${tellus.reaper-interval:PT5S}")
    void reap() {
        Instant now = clock.instant();
        List<Long> studies;
        try {
            studies = jdbc.sql("""
                            select distinct study_id from trial
                            where state = 'RUNNING' and lease_expires_at < :now limit :limit""")
                    .param("now", Timestamp.from(now)).param("limit", STUDIES_PER_PASS).query(Long.class).list();
        } catch (DataAccessException e) {
            // The database may be restarting; the next pass tries again.
            log.warn("Lease reaper pass failed: {}", e.getMessage());
            return;
        }
        // One study at a time, each in its own transaction: a busy or failing study does not hold up the others.
        for (long study : studies) {
            try {
                int reaped = trials.reapExpired(study);
                if (reaped > 0) {
                    log.info("Failed {} trial(s) of study {} whose lease expired", reaped, study);
                }
            } catch (DataAccessException e) {
                log.warn("Lease reaper skipped study {} this pass: {}", study, e.getMessage());
            }
        }
        try {
            keys.forgetOlderThan(now);
        } catch (DataAccessException e) {
            log.warn("Could not forget old idempotency keys this pass: {}", e.getMessage());
        }
    }
}
