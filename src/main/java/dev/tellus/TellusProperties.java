package dev.tellus;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tellus's own settings ({@code tellus.*}), validated at start-up.
 *
 * @param retryAfterSeconds what an ask answers when there is nothing to hand out yet (paused study, last
 *                          grid points still running, budget held by running trials)
 */
@ConfigurationProperties("tellus")
@Validated
public record TellusProperties(@DefaultValue("5") @Min(1) @Max(3600) int retryAfterSeconds) {
}
