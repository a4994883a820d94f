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
 */
@ConfigurationProperties("tellus")
@Validated
public record TellusProperties(
        @DefaultValue("5") @Min(1) @Max(3600) int retryAfterSeconds,
        @DefaultValue("PT5S") @NotNull Duration reaperInterval,
        @DefaultValue("500") @Min(1) int reaperBatch,
        @DefaultValue("PT24H") @NotNull Duration idempotencyRetention,
        @DefaultValue("1MB") @NotNull DataSize maxBodySize) {
}
