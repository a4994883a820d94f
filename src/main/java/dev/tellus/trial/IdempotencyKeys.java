package dev.tellus.trial;

import dev.tellus.TellusProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Responses stored under a client's Idempotency-Key, per study, written in the same transaction as the work
 * they describe: a retried request replays the stored response instead of doing the work again.
 */
@Repository
class IdempotencyKeys {

    /** A stored response and the hash of the request that produced it. */
    record Stored(String requestHash, String response) {
    }

    private final JdbcClient jdbc;
    private final TellusProperties properties;

    IdempotencyKeys(JdbcClient jdbc, TellusProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    Optional<Stored> find(long studyId, String key) {
        return jdbc.sql("select request_hash, response from idempotency_key where study_id = :study and key = :key")
                .param("study", studyId).param("key", key)
                .query((rs, i) -> new Stored(rs.getString(1), rs.getString(2))).optional();
    }

    /** Stores a response; false when the key was taken meanwhile (by a concurrent request). */
    boolean store(long studyId, String key, String requestHash, String response, Instant now) {
        return jdbc.sql("""
                        insert into idempotency_key (study_id, key, request_hash, response, created_at)
                        values (:study, :key, :hash, :response, :now) on conflict do nothing""")
                .param("study", studyId).param("key", key).param("hash", requestHash).param("response", response)
                .param("now", Timestamp.from(now)).update() == 1;
    }

    int forgetOlderThan(Instant now) {
        return jdbc.sql("delete from idempotency_key where created_at < :cutoff")
                .param("cutoff", Timestamp.from(now.minus(properties.idempotencyRetention()))).update();
    }

    static String hash(String operation, String canonicalRequest) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(operation.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(canonicalRequest.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
