package dev.tellus.web;

import org.springframework.http.HttpStatus;

/** An error a client caused, named for what happened; {@link ProblemHandler} turns it into problem+json. */
public abstract class ApiException extends RuntimeException {

    /** Where every problem type of Tellus lives: a problem's {@code type} is this plus its name. */
    public static final String PROBLEM_TYPE_BASE = "https://tellus.dev/problems/";

    private final HttpStatus status;
    private final String type;
    private final String title;

    protected ApiException(HttpStatus status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    /** The last segment of the problem type URI, e.g. {@code study-not-found}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** Seconds the client should wait before trying again ({@code Retry-After}), or null when retrying will not help. */
    public Integer retryAfterSeconds() {
        return null;
    }
}
