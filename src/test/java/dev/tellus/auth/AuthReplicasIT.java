package dev.tellus.auth;

import dev.tellus.Http;
import dev.tellus.TellusApplication;
import dev.tellus.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A revocation made through one replica is in force on another replica of the same database within 5 s. */
class AuthReplicasIT extends AuthenticatedTest {

    @Test
    void aRevokedKeyIsRefusedByASecondReplicaWithinFiveSeconds() throws Exception {
        TestDatabase.Connection db = TestDatabase.forTests();
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(TellusApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + db.url(),
                        "--spring.datasource.username=" + db.username(), "--spring.datasource.password=" + db.password(),
                        "--tellus.auth=required", "--tellus.admin-key=" + OPERATOR_KEY)) {
            Http replica = new Http("http://localhost:" + second.getEnvironment().getProperty("local.server.port"), json);
            String project = project(null);
            JsonNode key = key(project, "write");
            Http onReplica = replica.withKey(key.get("key").asString());
            assertThat(onReplica.put("/api/v1/studies/shared", STUDY).status()).isEqualTo(201);
            // Both replicas see one study: the database is shared.
            assertThat(http().withKey(key.get("key").asString()).get("/api/v1/studies/shared").status()).isEqualTo(200);

            long revokedAt = System.nanoTime();
            assertThat(operator().delete("/api/v1/projects/" + project + "/keys/" + key.get("id").asString()).status())
                    .isEqualTo(204);
            eventually(java.time.Duration.ofSeconds(5), () -> onReplica.get("/api/v1/studies/shared").status() == 401);
            double seconds = (System.nanoTime() - revokedAt) / 1e9;
            assertThat(seconds).isLessThan(5.0);
        }
    }
}
