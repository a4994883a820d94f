package dev.tellus.project;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** The project has no key with this id. */
class KeyNotFound extends ApiException {

    KeyNotFound(String id) {
        super(HttpStatus.NOT_FOUND, "key-not-found", "Key not found", "The project has no key with id '" + id + "'.");
    }
}
