package dev.tellus.web;

import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Every error leaves as {@code application/problem+json} (RFC 9457): type, title, status, detail and, for
 * bad input, {@code errors: [{field, message}]}. Spring's own errors (404 route, 405, 415, ...) come through
 * the base class in the same shape.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    static final String TYPE_BASE = ApiException.PROBLEM_TYPE_BASE;
    /** How long a client should wait before retrying after the database was unavailable. */
    private static final int UNAVAILABLE_RETRY_SECONDS = 2;

    static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        var response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response.body(problem(e.status(), e.type(), e.title(), e.getMessage()));
    }

    @ExceptionHandler(InvalidDefinition.class)
    ResponseEntity<ProblemDetail> invalid(InvalidDefinition e) {
        return badRequest(e.errors());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return badRequest(List.of(new FieldError(e.getName(), "is not a valid value: '" + e.getValue() + "'")));
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            TransientDataAccessException.class, QueryTimeoutException.class, PessimisticLockingFailureException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("Database unavailable or busy: {}", e.getMessage());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                "The database is unavailable or busy; retry shortly. Nothing was changed.");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(UNAVAILABLE_RETRY_SECONDS)).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (isDatabaseUnavailable(e)) {
            return unavailable(e);
        }
        if (isUnstorableText(e)) {
            return badRequest(List.of(new FieldError("body",
                    "strings must not contain the NUL character (U+0000), which PostgreSQL cannot store")));
        }
        log.error("Unexpected error", e);
        return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "Internal error", "An unexpected error occurred; nothing was changed."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitFilter.BodyTooLarge tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request body too large", tooLarge.getMessage()));
            }
        }
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(invalidBody(ex));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null || !(response.getBody() instanceof ProblemDetail problem)) {
            return response;
        }
        if (problem.getType() == null || problem.getType().equals(URI.create("about:blank"))) {
            problem.setType(URI.create(TYPE_BASE + "http-" + statusCode.value()));
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /**
     * Whether the failure is the database being away (restarting, failing over, unreachable), whatever
     * Spring or Hibernate wrapped it in: a connection-class SQLState (08…, 57P0…) or a socket error in the
     * cause chain. Those are answered 503 with Retry-After: the request changed nothing and may be retried.
     */
    static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            // HikariCP's proxy for a connection it already closed (the server went away mid-transaction) throws
            // a plain SQLException with this message and no SQLState, e.g. when rolling back.
            if (t instanceof java.sql.SQLException && "Connection is closed".equals(t.getMessage())) {
                return true;
            }
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Text PostgreSQL refuses to store (U+0000 in jsonb or text): the client's input, so a 400. */
    static boolean isUnstorableText(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("22P05".equals(sql.getSQLState()) || "22021".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ProblemDetail> badRequest(List<FieldError> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid");
        problem.setProperty("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Names the field a JSON body got wrong, from Jackson's path, e.g. {@code space.lr.low} or {@code values[1]}. */
    private static ProblemDetail invalidBody(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        String field = "body";
        String message;
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            field = path(jackson);
        }
        if (cause instanceof UnrecognizedPropertyException) {
            message = "is not a known field";
        } else if (cause instanceof InvalidFormatException f) {
            message = "has the wrong type: expected " + describe(f.getTargetType());
        } else if (cause instanceof MismatchedInputException m) {
            message = m.getTargetType() != null ? "has the wrong type: expected " + describe(m.getTargetType())
                    : "has the wrong shape";
        } else if (cause instanceof StreamReadException s) {
            message = "is not valid JSON: " + s.getOriginalMessage();
        } else if (cause instanceof JacksonException j) {
            message = j.getOriginalMessage();
        } else {
            message = "is missing or unreadable";
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", field + ": " + message);
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return problem;
    }

    private static String path(JacksonException e) {
        var sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return type == Integer.class || type == Long.class || type == int.class || type == long.class ? "an integer" : "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return type.getSimpleName();
    }
}
