package dev.tellus.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.sql.SQLException;

/**
 * Turns a start-up failure to reach PostgreSQL (refused, unknown host, bad credentials, no such database)
 * into one readable report instead of a wall of nested stack traces.
 */
class DatabaseUnreachableAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        boolean connection = state.startsWith("08") || state.startsWith("28") || state.equals("3D000");
        if (!connection) {
            return null;
        }
        String url = System.getProperty("spring.datasource.url", System.getenv().getOrDefault("SPRING_DATASOURCE_URL",
                "jdbc:postgresql://localhost:5432/tellus (the default)"));
        return new FailureAnalysis(
                "Tellus cannot reach its database at " + url + ": " + cause.getMessage(),
                "Start PostgreSQL, or point Tellus at one with SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and "
                        + "SPRING_DATASOURCE_PASSWORD. For a database Tellus provides itself, run ./mvnw spring-boot:test-run.",
                cause);
    }
}
