package dev.tellus.web;

import org.springframework.dao.PessimisticLockingFailureException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a whole transaction again when PostgreSQL aborted it for a reason that a retry fixes (a deadlock, a
 * serialisation failure, a lock timeout); a statement timeout or a lost connection is not retried here. Called outside the transaction, so each attempt starts afresh and
 * a failed one changed nothing. What still fails after the last attempt becomes a 503 with Retry-After.
 */
public final class TransientRetry {

    static final int ATTEMPTS = 3;

    private TransientRetry() {
    }

    public static <T> T call(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                sleep(attempt);
            }
        }
    }

    private static void sleep(int attempt) {
        try {
            // Jitter, so that two transactions that collided do not collide again.
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
