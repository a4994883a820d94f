package dev.tellus;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.util.UUID;

/** Base of integration tests: Tellus on a random port over a real PostgreSQL ({@link TestDatabase}), spoken to over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tellus.reaper-interval=PT0.2S", "tellus.auth=off"})
public abstract class IntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JsonMapper json;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Connection db = TestDatabase.forTests();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
    }

    @Autowired
    private org.springframework.context.ApplicationContext context;

    /** The id of project {@code default}, where every study lives with auth off. */
    protected long defaultProjectId() {
        return context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("select id from project where name = 'default'").query(Long.class).single();
    }

    protected Http http() {
        return new Http("http://localhost:" + port, json);
    }

    /** Polls until the condition holds, failing after the timeout. */
    protected static void eventually(java.time.Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A study name no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
