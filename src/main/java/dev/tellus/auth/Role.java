package dev.tellus.auth;

/** What a key of a project may do: each role includes the ones before it. */
public enum Role {
    /** Every GET of the project. */
    READ,
    /** Read, plus create and change studies, ask, tell, report, heartbeat, enqueue and import. */
    WRITE,
    /** Write, plus delete studies and manage the project's keys and read its audit trail. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The Spring Security authority of this role. */
    String authority() {
        return "ROLE_" + name();
    }
}
