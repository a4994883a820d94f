package dev.tellus.auth;

/**
 * Whoever calls a project-management endpoint: the operator (caller null) or a key of a project. Controllers of
 * projects, keys and the audit trail take it as an argument.
 */
public record Actor(Caller caller) {

    public boolean isOperator() {
        return caller == null;
    }

    /** The operator, or an admin key of this project, may manage its keys and read its audit trail. */
    public boolean mayAdminister(String projectName) {
        return isOperator() || (caller.role() == Role.ADMIN && caller.projectName().equals(projectName));
    }
}
