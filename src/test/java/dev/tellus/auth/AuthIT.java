package dev.tellus.auth;

import dev.tellus.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract of API.md v1.1 "Projects and API keys", row by row, over HTTP on a real PostgreSQL. */
class AuthIT extends AuthenticatedTest {

    @Autowired
    JdbcClient jdbc;

    private static void assertProblem(Http.Response r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("type").asString()).startsWith("https://tellus.dev/problems/");
    }

    @Test
    void withoutAValidKeyEveryApiRequestIs401WithWwwAuthenticate() throws Exception {
        String project = project(null);
        Http admin = as(project, "admin");
        assertThat(admin.put("/api/v1/studies/s", STUDY).status()).isEqualTo(201);

        Http.Response none = http().get("/api/v1/studies/s");
        assertProblem(none, 401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(http().post("/api/v1/studies/s/trials/ask", null), 401);

        Http.Response unknown = http().withKey("tls_AAAAAAAA_" + "B".repeat(43)).get("/api/v1/studies/s");
        assertProblem(unknown, 401);
        assertThat(unknown.header("WWW-Authenticate")).contains("invalid_token");
        assertProblem(http().get("/api/v1/studies/s", Map.of("Authorization", "Basic dXNlcjpwYXNz")), 401);

        JsonNode revoked = key(project, "read");
        Http revokedKey = http().withKey(revoked.get("key").asString());
        assertThat(revokedKey.get("/api/v1/studies/s").status()).isEqualTo(200);
        assertThat(operator().delete("/api/v1/projects/" + project + "/keys/" + revoked.get("id").asString()).status())
                .isEqualTo(204);
        assertProblem(revokedKey.get("/api/v1/studies/s"), 401);

        Http.Response made = operator().post("/api/v1/projects/" + project + "/keys",
                "{\"name\": \"short\", \"role\": \"read\", \"expiresAt\": \"" + Instant.now().plusSeconds(2) + "\"}");
        Http expiring = http().withKey(made.body().get("key").asString());
        assertThat(expiring.get("/api/v1/studies/s").status()).isEqualTo(200);
        Thread.sleep(Duration.between(Instant.now(), Instant.parse(made.body().get("expiresAt").asString())).toMillis() + 50);
        Http.Response expired = expiring.get("/api/v1/studies/s");
        assertProblem(expired, 401);
        assertThat(expired.body().get("detail").asString()).contains("expired");

        assertThat(http().get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void eachRoleGetsWhatItMayAndOtherwise403() {
        String project = project(null);
        Http read = as(project, "read");
        Http write = as(project, "write");
        Http admin = as(project, "admin");

        assertProblem(read.put("/api/v1/studies/r", STUDY), 403);
        assertThat(write.put("/api/v1/studies/r", STUDY).status()).isEqualTo(201);
        assertThat(read.get("/api/v1/studies/r").status()).isEqualTo(200);
        assertThat(read.get("/api/v1/studies").body().get("studies")).hasSize(1);
        assertProblem(read.post("/api/v1/studies/r/trials/ask", null), 403);
        assertThat(write.post("/api/v1/studies/r/trials/ask", null).status()).isEqualTo(200);
        assertThat(write.post("/api/v1/studies/r/trials/0/tell", "{\"value\": 1}").status()).isEqualTo(200);
        assertThat(write.patch("/api/v1/studies/r", "{\"state\": \"PAUSED\"}").status()).isEqualTo(200);
        assertProblem(write.delete("/api/v1/studies/r"), 403);
        assertProblem(write.get("/api/v1/projects/" + project + "/keys"), 403);
        assertProblem(read.get("/api/v1/projects/" + project + "/audit"), 403);
        assertThat(admin.get("/api/v1/projects/" + project + "/keys").status()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/studies/r").status()).isEqualTo(204);

        // A project's admin is no operator, and the operator owns no studies.
        assertProblem(admin.get("/api/v1/projects"), 403);
        assertProblem(admin.post("/api/v1/projects", "{\"name\": \"" + unique("x") + "\"}"), 403);
        assertProblem(admin.get("/api/v1/projects/" + project), 403);
        String other = project(null);
        assertProblem(admin.get("/api/v1/projects/" + other + "/keys"), 403);
        assertProblem(admin.post("/api/v1/projects/" + other + "/keys", "{\"name\": \"k\", \"role\": \"admin\"}"), 403);
        assertProblem(operator().get("/api/v1/studies"), 403);
        assertProblem(operator().put("/api/v1/studies/op", STUDY), 403);
    }

    /** Every study endpoint, as (method, path under the study, body). */
    private static final List<String[]> STUDY_ENDPOINTS = List.of(
            new String[]{"GET", "", null},
            new String[]{"PATCH", "", "{\"state\": \"PAUSED\"}"},
            new String[]{"DELETE", "", null},
            new String[]{"POST", "/trials/ask", null},
            new String[]{"POST", "/trials/0/tell", "{\"value\": 1}"},
            new String[]{"POST", "/trials/0/report", "{\"step\": 1, \"value\": 1}"},
            new String[]{"POST", "/trials/0/heartbeat", null},
            new String[]{"POST", "/trials", "{\"params\": {\"x\": 0.5}}"},
            new String[]{"GET", "/trials", null},
            new String[]{"GET", "/trials/0", null},
            new String[]{"GET", "/best", null},
            new String[]{"GET", "/trials/intermediate", null},
            new String[]{"GET", "/importance", null});

    @Test
    void anotherProjectsStudyIsExactlyLikeAMissingOne() {
        Http owner = as(project(null), "admin");
        Http stranger = as(project(null), "admin");
        assertThat(owner.put("/api/v1/studies/mnist", STUDY).status()).isEqualTo(201);
        assertThat(owner.post("/api/v1/studies/mnist/trials/ask", null).status()).isEqualTo(200);
        // Two projects may each own a study of one name.
        assertThat(stranger.put("/api/v1/studies/twin", STUDY).status()).isEqualTo(201);
        assertThat(owner.put("/api/v1/studies/twin", STUDY).status()).isEqualTo(201);

        for (String[] e : STUDY_ENDPOINTS) {
            Http.Response theirs = stranger.send(e[0], "/api/v1/studies/mnist" + e[1], e[2], Map.of());
            Http.Response missing = stranger.send(e[0], "/api/v1/studies/nosuch" + e[1], e[2], Map.of());
            assertThat(theirs.status()).as(e[0] + " " + e[1] + ": " + theirs.text()).isEqualTo(404);
            assertThat(theirs.contentType()).isEqualTo(missing.contentType());
            assertThat(theirs.text().replace("mnist", "nosuch")).as(e[0] + " " + e[1]).isEqualTo(missing.text());
        }
        Http.Response csv = stranger.get("/api/v1/studies/mnist/trials", Map.of("Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(404);
        // Nothing of the owner's study changed.
        Http.Response study = owner.get("/api/v1/studies/mnist");
        assertThat(study.body().get("state").asString()).isEqualTo("ACTIVE");
        assertThat(study.body().at("/counts/RUNNING").asInt()).isEqualTo(1);
    }

    @Test
    void quotasLimitStudiesRunningTrialsAndRequestRate() {
        String project = project("{\"maxStudies\": 1, \"maxRunningTrials\": 2}");
        Http write = as(project, "write");
        assertThat(write.put("/api/v1/studies/one", STUDY).status()).isEqualTo(201);
        assertThat(write.put("/api/v1/studies/one", STUDY).status()).isEqualTo(200);
        Http.Response second = write.put("/api/v1/studies/two", STUDY);
        assertProblem(second, 429);
        assertThat(second.body().get("type").asString()).endsWith("/quota-exceeded");
        assertThat(write.get("/api/v1/studies/two").status()).isEqualTo(404);

        assertThat(write.post("/api/v1/studies/one/trials/ask", "{\"count\": 2}").body().get("trials")).hasSize(2);
        Http.Response over = write.post("/api/v1/studies/one/trials/ask", null);
        assertProblem(over, 429);
        assertThat(over.body().get("type").asString()).endsWith("/quota-exceeded");
        assertThat(over.header("Retry-After")).isNotNull();

        String limited = project("{\"requestsPerSecond\": 5}");
        Http fast = as(limited, "read");
        List<Integer> statuses = new ArrayList<>();
        Http.Response refused = null;
        for (int i = 0; i < 30; i++) {
            Http.Response r = fast.get("/api/v1/studies");
            statuses.add(r.status());
            if (r.status() == 429) {
                refused = r;
            }
        }
        assertThat(statuses).contains(200, 429).allMatch(s -> s == 200 || s == 429);
        assertProblem(refused, 429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    }

    @Test
    void everyMutatingRequestIsAuditedRefusalsIncluded() {
        String project = project(null);
        JsonNode writeKey = key(project, "write");
        Http write = http().withKey(writeKey.get("key").asString());
        Http admin = as(project, "admin");
        assertThat(write.put("/api/v1/studies/a", STUDY).status()).isEqualTo(201);
        assertThat(write.delete("/api/v1/studies/a").status()).isEqualTo(403);
        assertThat(write.get("/api/v1/studies/a").status()).isEqualTo(200);

        JsonNode events = admin.get("/api/v1/projects/" + project + "/audit").body().get("events");
        List<String> lines = new ArrayList<>();
        events.forEach(e -> lines.add(e.get("method").asString() + " " + e.get("path").asString() + " "
                + e.get("status").asInt() + " " + e.get("keyName").asString()));
        // Newest first; reads are not audited; the operator's key creations are in the project's trail too.
        assertThat(lines).containsSubsequence("DELETE /api/v1/studies/a 403 write-key", "PUT /api/v1/studies/a 201 write-key");
        assertThat(lines).noneMatch(l -> l.startsWith("GET"));
        assertThat(lines).anyMatch(l -> l.startsWith("POST /api/v1/projects/" + project + "/keys 201 operator"));
        JsonNode first = events.get(0);
        assertThat(first.get("keyId").asString()).isEqualTo(writeKey.get("id").asString());
        assertThat(Instant.parse(first.get("at").asString())).isAfter(Instant.now().minusSeconds(60));
        assertThat(operator().get("/api/v1/projects/" + project + "/audit?limit=1").body().get("next")).isNotNull();
    }

    @Test
    void keysAreShownOnceAndNoTableHoldsASecret() {
        String project = project(null);
        JsonNode made = key(project, "admin");
        String secret = made.get("key").asString();
        assertThat(secret).matches("tls_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}");
        assertThat(made.get("prefix").asString()).isEqualTo(secret.substring(0, 12));
        Http admin = http().withKey(secret);
        assertThat(admin.put("/api/v1/studies/k", STUDY).status()).isEqualTo(201);

        Http.Response list = admin.get("/api/v1/projects/" + project + "/keys");
        assertThat(list.text()).doesNotContain(secret).doesNotContain(secret.substring(13));
        assertThat(list.body().get("keys").get(0).properties().stream().map(Map.Entry::getKey).toList())
                .containsExactly("id", "name", "role", "prefix", "createdAt", "expiresAt", "lastUsedAt");

        String random = secret.substring(13);
        List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'public'")
                .query(String.class).list();
        assertThat(tables).contains("api_key", "audit_event", "project", "study", "trial");
        for (String table : tables) {
            List<String> rows = jdbc.sql("select t::text from \"" + table + "\" t").query(String.class).list();
            assertThat(rows).as(table).noneMatch(row -> row.contains(random) || row.contains(secret));
        }
    }
}
