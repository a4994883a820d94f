package dev.tellus.web;

import org.springframework.http.HttpStatus;

/** A project's quota refused the request (429); {@code Retry-After} when waiting can help. */
public class QuotaExceeded extends ApiException {

    private final Integer retryAfterSeconds;

    private QuotaExceeded(String detail, Integer retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "quota-exceeded", "Quota exceeded", detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static QuotaExceeded studies(int maxStudies) {
        return new QuotaExceeded("The project already has its maximum of " + maxStudies
                + " studies (maxStudies); delete one or ask the operator to raise the quota.", null);
    }

    public static QuotaExceeded runningTrials(int maxRunningTrials, int retryAfterSeconds) {
        return new QuotaExceeded("The project already runs its maximum of " + maxRunningTrials
                + " trials (maxRunningTrials); ask again when some have finished.", retryAfterSeconds);
    }

    @Override
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
