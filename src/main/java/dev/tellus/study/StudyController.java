package dev.tellus.study;

import dev.tellus.auth.Caller;
import dev.tellus.web.InvalidRequest;
import dev.tellus.web.Paging;
import dev.tellus.web.TransientRetry;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

@RestController
@RequestMapping("/api/v1/studies")
class StudyController {


    private final StudyService service;

    StudyController(StudyService service) {
        this.service = service;
    }

    /** Body of PATCH: the state to move to. */
    record StudyPatch(StudyState state) {
    }

    /** A page of studies and the cursor for the next (null at the end). */
    record StudyList(List<StudyResponse> studies, String next) {
    }

    @PutMapping("/{name}")
    ResponseEntity<StudyResponse> create(Caller caller, @PathVariable String name, @RequestBody StudyRequest request) {
        StudyService.Created result = TransientRetry.call(() -> service.create(caller.projectId(), name, request));
        if (result.created()) {
            return ResponseEntity.created(URI.create("/api/v1/studies/" + name)).body(result.study());
        }
        return ResponseEntity.ok(result.study());
    }

    @GetMapping("/{name}")
    StudyResponse get(Caller caller, @PathVariable String name) {
        return service.get(caller.projectId(), name);
    }

    @GetMapping
    StudyList list(Caller caller, @RequestParam(required = false) Integer limit, @RequestParam(required = false) String after) {
        StudyService.Page page = service.list(caller.projectId(), Paging.pageSize(limit), after);
        return new StudyList(page.studies(), page.next());
    }

    @PatchMapping("/{name}")
    StudyResponse patch(Caller caller, @PathVariable String name, @RequestBody StudyPatch patch) {
        if (patch.state() == null) {
            throw new InvalidRequest("state", "is required: ACTIVE, PAUSED or COMPLETED");
        }
        return TransientRetry.call(() -> service.changeState(caller.projectId(), name, patch.state()));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
        TransientRetry.call(() -> {
            service.delete(caller.projectId(), name);
            return null;
        });
        return ResponseEntity.noContent().build();
    }

}
