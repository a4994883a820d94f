package dev.tellus.auth;

import dev.tellus.Http;
import dev.tellus.OpenApiConformance;
import org.junit.jupiter.api.Test;

/** The projects, keys and audit operations of the OpenAPI document against real answers, with keys required. */
class ProjectApiDocumentIT extends AuthenticatedTest {

    @Test
    void realAnswersHaveDeclaredStatusesAndDocumentedFields() {
        OpenApiConformance api = OpenApiConformance.of(http());
        Http op = operator();
        String name = unique("doc");
        String p = "/api/v1/projects/" + name;
        api.check("createProject", op.post("/api/v1/projects", "{\"name\": \"" + name + "\", \"quota\": {\"maxStudies\": 5}}"), 201);
        api.check("createProject", op.post("/api/v1/projects", "{\"name\": \"" + name + "\"}"), 409);
        api.check("createProject", op.post("/api/v1/projects", "{\"name\": \"bad name!\"}"), 400);
        api.check("createProject", http().post("/api/v1/projects", "{\"name\": \"x\"}"), 401);
        api.check("listProjects", op.get("/api/v1/projects?limit=1"), 200);
        api.check("getProject", op.get(p), 200);
        api.check("getProject", op.get(p + "-missing"), 404);
        api.check("updateProject", op.patch(p, "{\"quota\": {\"maxStudies\": 10, \"requestsPerSecond\": 100}}"), 200);
        Http.Response key = op.post(p + "/keys", "{\"name\": \"w\", \"role\": \"write\"}");
        api.check("createApiKey", key, 201);
        api.check("listApiKeys", op.get(p + "/keys"), 200);
        Http writer = http().withKey(key.body().get("key").asString());
        api.check("listProjects", writer.get("/api/v1/projects"), 403);
        api.check("createStudy", writer.put("/api/v1/studies/" + unique("s"), STUDY), 201);
        api.check("listAuditEvents", op.get(p + "/audit"), 200);
        api.check("deleteProject", op.delete(p), 409);
        api.check("revokeApiKey", op.delete(p + "/keys/" + key.body().get("id").asString()), 204);
        api.check("revokeApiKey", op.delete(p + "/keys/" + java.util.UUID.randomUUID()), 404);
        api.check("getStudy", writer.get("/api/v1/studies/anything"), 401);
    }
}
