package dev.tellus.auth;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** One clear report instead of a stack trace when the operator key is missing or too short. */
class OperatorKeyMissingAnalyzer extends AbstractFailureAnalyzer<OperatorKeyMissing> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OperatorKeyMissing cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set TELLUS_ADMIN_KEY to a random secret of at least " + OperatorKeyMissing.MIN_LENGTH
                        + " characters (e.g. `openssl rand -base64 32`), or run without keys with TELLUS_AUTH=off "
                        + "(every request then acts as the admin of project 'default').",
                cause);
    }
}
