package dev.tellus.auth;

/** The holder of {@code TELLUS_ADMIN_KEY}: manages projects and keys, owns no studies. */
public enum Operator {
    INSTANCE;

    static final String AUTHORITY = "ROLE_OPERATOR";
}
