package dev.tellus.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tellus.auth.Actor;
import dev.tellus.auth.AuditTrail;
import dev.tellus.web.Forbidden;
import dev.tellus.web.Paging;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Projects (operator key only), their keys and their audit trail (operator, or an admin key of the project).
 * Which key may reach which route is decided by the security chain; the per-project check is here.
 */
@RestController
@RequestMapping("/api/v1/projects")
class ProjectController {

    private final ProjectService service;
    private final AuditTrail trail;

    ProjectController(ProjectService service, AuditTrail trail) {
        this.service = service;
        this.trail = trail;
    }

    record ProjectRequest(String name, Quota quota) {
    }

    record ProjectPatch(Quota quota) {
    }

    record ProjectResponse(String name, Quota quota, Instant createdAt) {
        static ProjectResponse of(ProjectService.Project p) {
            return new ProjectResponse(p.name(), p.quota(), p.createdAt());
        }
    }

    record ProjectList(List<ProjectResponse> projects, String next) {
    }

    record KeyRequest(String name, String role, Instant expiresAt) {
    }

    /** The only response that ever carries a key's secret. */
    record KeyCreated(UUID id, String key, String name, String role, String prefix, Instant createdAt,
                      Instant expiresAt) {
    }

    record KeyList(List<ProjectService.Key> keys) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AuditEvent(Instant at, UUID keyId, String keyName, String method, String path, int status) {
    }

    record AuditPage(List<AuditEvent> events, String next) {
    }

    @PostMapping
    ResponseEntity<ProjectResponse> create(@RequestBody ProjectRequest request) {
        ProjectService.Project p = service.create(request.name(), request.quota());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + p.name())).body(ProjectResponse.of(p));
    }

    @GetMapping
    ProjectList list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String after) {
        int size = Paging.pageSize(limit);
        List<ProjectService.Project> rows = service.list(size, after);
        boolean more = rows.size() > size;
        List<ProjectService.Project> shown = more ? rows.subList(0, size) : rows;
        return new ProjectList(shown.stream().map(ProjectResponse::of).toList(),
                more ? shown.get(shown.size() - 1).name() : null);
    }

    @GetMapping("/{project}")
    ProjectResponse get(@PathVariable String project) {
        return ProjectResponse.of(service.get(project));
    }

    @PatchMapping("/{project}")
    ProjectResponse patch(@PathVariable String project, @RequestBody ProjectPatch patch) {
        return ProjectResponse.of(service.changeQuota(project, patch.quota()));
    }

    @DeleteMapping("/{project}")
    ResponseEntity<Void> delete(@PathVariable String project) {
        service.delete(project);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{project}/keys")
    ResponseEntity<KeyCreated> createKey(Actor actor, @PathVariable String project, @RequestBody KeyRequest request) {
        administers(actor, project);
        ProjectService.NewKey made = service.createKey(project, request.name(), request.role(), request.expiresAt());
        ProjectService.Key k = made.key();
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project + "/keys/" + k.id()))
                .body(new KeyCreated(k.id(), made.secret(), k.name(), k.role(), k.prefix(), k.createdAt(), k.expiresAt()));
    }

    @GetMapping("/{project}/keys")
    KeyList keys(Actor actor, @PathVariable String project) {
        administers(actor, project);
        return new KeyList(service.keys(project));
    }

    @DeleteMapping("/{project}/keys/{id}")
    ResponseEntity<Void> revoke(Actor actor, @PathVariable String project, @PathVariable String id) {
        administers(actor, project);
        service.revokeKey(project, id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{project}/audit")
    AuditPage audit(Actor actor, @PathVariable String project, @RequestParam(required = false) Integer limit,
                    @RequestParam(required = false) Long after) {
        administers(actor, project);
        trail.flush();
        int size = Paging.pageSize(limit);
        List<ProjectService.Event> rows = service.audit(project, size, after);
        boolean more = rows.size() > size;
        List<ProjectService.Event> shown = more ? rows.subList(0, size) : rows;
        return new AuditPage(shown.stream()
                .map(e -> new AuditEvent(e.at(), e.keyId(), e.keyName(), e.method(), e.path(), e.status())).toList(),
                more ? String.valueOf(shown.get(shown.size() - 1).id()) : null);
    }

    /** An admin key reaches only its own project; other projects are the operator's. */
    private static void administers(Actor actor, String project) {
        if (!actor.mayAdminister(project)) {
            throw new Forbidden("Only the operator key or an admin key of project '" + project + "' may do this.");
        }
    }
}
