package dev.tellus.auth;

import dev.tellus.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;

/** The security chain's refusals in the same problem+json shape as every other error. */
final class SecurityProblems {

    private final JsonMapper json;

    SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    /** 401 with {@code WWW-Authenticate: Bearer} (RFC 6750), 429 for an address guessing keys, 503 when keys cannot be checked. */
    AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            if (e instanceof TooManyFailedAttempts tooMany) {
                response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(tooMany.retryAfterSeconds()));
                write(response, HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-attempts", "Too many failed attempts",
                        e.getMessage());
            } else if (e instanceof AuthenticationServiceException) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "2");
                write(response, HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", e.getMessage());
            } else {
                boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented
                        ? "Bearer realm=\"tellus\", error=\"invalid_token\"" : "Bearer realm=\"tellus\"");
                write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                        presented ? detail(e) : "This request needs an API key: send 'Authorization: Bearer tls_…'.");
            }
        };
    }

    AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                forbiddenDetail(request));
    }

    private static String detail(AuthenticationException e) {
        return e.getMessage() == null ? "The key was not accepted." : e.getMessage();
    }

    static String forbiddenDetail(HttpServletRequest request) {
        return "Your key's role does not allow " + request.getMethod() + " " + request.getRequestURI() + ".";
    }

    void write(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
            throws IOException {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", ApiException.PROBLEM_TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(body));
    }
}
