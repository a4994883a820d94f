package dev.tellus.web;

import org.springframework.http.HttpStatus;

/** The caller is known but its key's role or project does not allow this request. */
public class Forbidden extends ApiException {

    public Forbidden(String detail) {
        super(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }
}
