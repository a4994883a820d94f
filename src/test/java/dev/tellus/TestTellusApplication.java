package dev.tellus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

import java.nio.file.Path;

/**
 * Tellus with a database it provides itself: {@code ./mvnw spring-boot:test-run}. Uses Testcontainers where a
 * Docker engine answers, otherwise an embedded PostgreSQL whose data stays in {@code .tellus/pgdata} (or
 * {@code TELLUS_DEV_DATA}) across restarts. Lives in test sources so the production jar has no database binaries.
 */
public final class TestTellusApplication {

    private static final Logger log = LoggerFactory.getLogger(TestTellusApplication.class);

    private TestTellusApplication() {
    }

    public static void main(String[] args) {
        String dir = System.getenv().getOrDefault("TELLUS_DEV_DATA", ".tellus/pgdata");
        TestDatabase.Connection db = TestDatabase.forDevelopment(Path.of(dir));
        log.info("Tellus database: {} at {}", db.kind(), db.url());
        System.setProperty("spring.datasource.url", db.url());
        System.setProperty("spring.datasource.username", db.username());
        System.setProperty("spring.datasource.password", db.password());
        // Zero set-up means no keys: the production default is TELLUS_AUTH=required (the log says which applies).
        if (System.getenv("TELLUS_AUTH") == null && System.getProperty("tellus.auth") == null) {
            System.setProperty("tellus.auth", "off");
        }
        SpringApplication.from(TellusApplication::main).run(args);
    }
}
