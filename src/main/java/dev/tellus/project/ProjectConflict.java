package dev.tellus.project;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** A project operation that the project's current state does not allow. */
class ProjectConflict extends ApiException {

    private ProjectConflict(String type, String title, String detail) {
        super(HttpStatus.CONFLICT, type, title, detail);
    }

    static ProjectConflict exists(String name) {
        return new ProjectConflict("project-exists", "Project exists", "A project named '" + name + "' already exists.");
    }

    static ProjectConflict notEmpty(String name, long studies) {
        return new ProjectConflict("project-not-empty", "Project not empty",
                "Project '" + name + "' still owns " + studies + " studies; delete them first.");
    }

    static ProjectConflict defaultProject() {
        return new ProjectConflict("project-required", "Project required",
                "The project 'default' holds the studies of TELLUS_AUTH=off and cannot be deleted.");
    }
}
