package dev.tellus.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tellus.TellusProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the key behind a hash, through a cache that lives {@code tellus.key-cache-ttl} (2 s by default): an ask
 * costs no database round trip for its key, and a revocation made on any replica is in force on every replica
 * once the entries there expire. Unknown hashes are cached too, so repeating a wrong key costs nothing.
 */
@Component
public class KeyDirectory {

    private static final Logger log = LoggerFactory.getLogger(KeyDirectory.class);
    /** Where the last-used time of a key is written at most this often. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    /** A key as authentication needs it; revoked keys are not found. */
    record ActiveKey(UUID id, String name, Role role, long projectId, String projectName, Instant expiresAt,
                     Integer requestsPerSecond, Instant lastUsedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Cache<String, Optional<ActiveKey>> byHash;

    KeyDirectory(JdbcClient jdbc, Clock clock, TellusProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.byHash = Caffeine.newBuilder().expireAfterWrite(properties.keyCacheTtl()).maximumSize(100_000).build();
    }

    Optional<ActiveKey> find(byte[] hash) {
        return byHash.get(KeySecrets.hex(hash), h -> load(hash));
    }

    private Optional<ActiveKey> load(byte[] hash) {
        Optional<ActiveKey> key = jdbc.sql("""
                        select k.id, k.name, k.role, k.project_id, p.name as project, k.expires_at,
                               p.requests_per_second, k.last_used_at
                        from api_key k join project p on p.id = k.project_id
                        where k.secret_hash = :hash and k.revoked_at is null""")
                .param("hash", hash)
                .query((rs, i) -> new ActiveKey(rs.getObject("id", UUID.class), rs.getString("name"),
                        Role.valueOf(rs.getString("role")), rs.getLong("project_id"), rs.getString("project"),
                        instant(rs.getTimestamp("expires_at")), (Integer) rs.getObject("requests_per_second"),
                        instant(rs.getTimestamp("last_used_at"))))
                .optional();
        key.ifPresent(this::touch);
        return key;
    }

    /** Records when a key was last used, at minute resolution: at most one write per key and minute per replica. */
    private void touch(ActiveKey key) {
        Instant now = clock.instant();
        if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(now.minus(LAST_USED_RESOLUTION))) {
            try {
                jdbc.sql("update api_key set last_used_at = :now where id = :id")
                        .param("now", Timestamp.from(now)).param("id", key.id()).update();
            } catch (DataAccessException e) {
                // Bookkeeping only: a busy database must not refuse a valid key.
                log.debug("Could not record the use of key {}: {}", key.id(), e.getMessage());
            }
        }
    }

    /** Forgets every cached lookup in this replica (after a revocation here; other replicas wait for the TTL). */
    public void forgetAll() {
        byHash.invalidateAll();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
