package dev.tellus.auth;

/** Auth is required but no usable operator key is configured: Tellus refuses to start. */
final class OperatorKeyMissing extends RuntimeException {

    static final int MIN_LENGTH = 32;

    OperatorKeyMissing(boolean tooShort) {
        super(tooShort
                ? "TELLUS_ADMIN_KEY is shorter than " + MIN_LENGTH + " characters; with TELLUS_AUTH=required Tellus needs a longer operator key."
                : "TELLUS_AUTH=required but TELLUS_ADMIN_KEY is not set: Tellus needs an operator key to manage projects and keys.");
    }
}
