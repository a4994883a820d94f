package dev.tellus.auth;

import org.springframework.security.core.AuthenticationException;

/** A client address that presented too many wrong keys lately is refused (429) before any lookup. */
final class TooManyFailedAttempts extends AuthenticationException {

    private final long retryAfterSeconds;

    TooManyFailedAttempts(long retryAfterSeconds) {
        super("Too many requests with a wrong key from this address; wait and check the key.");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
