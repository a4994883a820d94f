package dev.tellus.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tellus.web.ApiException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;

import java.time.Duration;
import java.util.UUID;

/**
 * The project's {@code requestsPerSecond} quota, per key and per replica: a token bucket (Bucket4j) per key that
 * holds one second's worth of requests and refills continuously. N replicas behind a balancer therefore allow up
 * to N times the rate in total; the quota protects each replica, not a global budget.
 */
final class RateLimits implements HandlerInterceptor {

    /** A bucket per key and configured rate, so a changed quota takes effect with the next key lookup. */
    private record BucketKey(UUID keyId, int requestsPerSecond) {
    }

    private final Cache<BucketKey, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof KeyAuthentication key) || key.requestsPerSecond() == null) {
            return true;
        }
        int rate = key.requestsPerSecond();
        Bucket bucket = buckets.get(new BucketKey(key.getPrincipal().keyId(), rate), k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new RateLimited(rate, seconds);
        }
        return true;
    }

    /** Over the per-key request rate: 429 with Retry-After. */
    static final class RateLimited extends ApiException {

        private final int retryAfterSeconds;

        RateLimited(int rate, long retryAfterSeconds) {
            super(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                    "This key may make " + rate + " requests per second (the project's requestsPerSecond); slow down.");
            this.retryAfterSeconds = (int) retryAfterSeconds;
        }

        @Override
        public Integer retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
