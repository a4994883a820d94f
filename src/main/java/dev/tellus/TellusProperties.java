package dev.tellus;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Tellus's own settings ({@code tellus.*}), validated at start-up.
 *
 * @param retryAfterSeconds     what an ask answers when there is nothing to hand out yet (paused study, last
 *                              grid points still running, budget held by running trials)
 * @param reaperInterval        how often each replica looks for running trials whose lease expired
 * @param reaperBatch           how many expired trials one reaper pass fails per study
 * @param idempotencyRetention  how long a response stored under an Idempotency-Key is replayed
 * @param maxBodySize           requests with a larger body are refused with 413 before they are parsed
 * @param auth                  {@code required} (every API request carries a key) or {@code off} (every request is
 *                              the admin of project {@code default}); {@code TELLUS_AUTH}
 * @param adminKey              the operator key ({@code TELLUS_ADMIN_KEY}, at least 32 characters): manages projects
 *                              and keys; required when auth is required
 * @param keyPepper             optional secret mixed into the stored key hashes ({@code TELLUS_KEY_PEPPER}); set it
 *                              once and keep it, or every key stops working
 * @param keyCacheTtl           how long a replica trusts a key lookup: revocation takes effect everywhere within it
 * @param auditRetention        how long the audit trail is kept
 */
@ConfigurationProperties("tellus")
@Validated
public record TellusProperties(
        @DefaultValue("5") @Min(1) @Max(3600) int retryAfterSeconds,
        @DefaultValue("PT5S") @NotNull Duration reaperInterval,
        @DefaultValue("500") @Min(1) int reaperBatch,
        @DefaultValue("PT24H") @NotNull Duration idempotencyRetention,
        @DefaultValue("1MB") @NotNull DataSize maxBodySize,
        @DefaultValue("required") @NotNull AuthMode auth,
        String adminKey,
        @DefaultValue("") String keyPepper,
        @DefaultValue("PT2S") @NotNull Duration keyCacheTtl,
        @DefaultValue("P30D") @NotNull Duration auditRetention) {

    /** Whether API requests need a key. */
    public enum AuthMode {
        REQUIRED, OFF
    }
}
