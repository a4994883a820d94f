package dev.tellus.project;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** No project has this name. */
class ProjectNotFound extends ApiException {

    ProjectNotFound(String name) {
        super(HttpStatus.NOT_FOUND, "project-not-found", "Project not found", "No project is named '" + name + "'.");
    }
}
