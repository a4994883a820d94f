package dev.tellus.trial;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** An Idempotency-Key sent again with a different request. */
class IdempotencyKeyReused extends ApiException {

    IdempotencyKeyReused(String key) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency key reused",
                "The Idempotency-Key '" + key + "' was used for a different request; use a new key for a new request.");
    }
}
