package dev.tellus.auth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The project {@code default}: where the migration put the studies that existed before projects, and the project
 * every request acts in with {@code TELLUS_AUTH=off}. Its id is read once, on first use (after Flyway ran).
 */
@Component
public class DefaultProject {

    public static final String NAME = "default";

    /** The principal of every request with auth off; the controllers see it as the admin of {@code default}. */
    enum AuthOff {
        ADMIN
    }

    private final JdbcClient jdbc;
    private volatile Caller admin;

    DefaultProject(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Caller admin() {
        Caller known = admin;
        if (known == null) {
            long id = jdbc.sql("select id from project where name = :name").param("name", NAME)
                    .query(Long.class).single();
            known = new Caller(id, NAME, Role.ADMIN, null, null);
            admin = known;
        }
        return known;
    }
}
