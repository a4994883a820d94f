package dev.tellus.auth;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Integration tests with {@code TELLUS_AUTH=required}: an operator key, projects and keys made over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tellus.reaper-interval=PT0.2S", "tellus.auth=required", "tellus.admin-key=" + AuthenticatedTest.OPERATOR_KEY})
abstract class AuthenticatedTest extends IntegrationTest {

    static final String OPERATOR_KEY = "operator-key-for-tests-0123456789abcdef";

    Http operator() {
        return http().withKey(OPERATOR_KEY);
    }

    /** A new project (unique name) with an optional quota as JSON, made by the operator. */
    String project(String quota) {
        String name = unique("p");
        Http.Response r = operator().post("/api/v1/projects",
                "{\"name\": \"" + name + "\"" + (quota == null ? "" : ", \"quota\": " + quota) + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return name;
    }

    /** A new key of the project; the secret is in {@code key}. */
    JsonNode key(String project, String role) {
        Http.Response r = operator().post("/api/v1/projects/" + project + "/keys",
                "{\"name\": \"" + role + "-key\", \"role\": \"" + role + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body();
    }

    Http as(String project, String role) {
        return http().withKey(key(project, role).get("key").asString());
    }

    static final String STUDY = """
            {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random", "seed": 1}}""";
}
