package dev.tellus.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records every mutating API request once the rest of the chain has answered it, refusals (403, 404, 429, ...)
 * included. It sits after authentication, so a request without a valid key (401) never reaches it: there is no
 * key to name.
 */
final class AuditFilter extends OncePerRequestFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern PROJECT_PATH = Pattern.compile("^/api/v1/projects/([^/]+)");

    private final AuditTrail trail;
    private final Clock clock;

    AuditFilter(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !MUTATING.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (response.getStatus() != HttpServletResponse.SC_UNAUTHORIZED && authentication != null) {
                record(request, response.getStatus(), authentication.getPrincipal());
            }
        }
    }

    private void record(HttpServletRequest request, int status, Object principal) {
        String path = request.getRequestURI();
        if (path.length() > 2048) {
            path = path.substring(0, 2048);
        }
        Long projectId = null;
        String projectName = null;
        java.util.UUID keyId = null;
        String keyName = null;
        Matcher project = PROJECT_PATH.matcher(path);
        if (principal instanceof Caller caller) {
            projectId = caller.projectId();
            keyId = caller.keyId();
            keyName = caller.keyName();
        } else if (principal instanceof Operator) {
            keyName = "operator";
        }
        if (principal instanceof Operator && project.find()) {
            projectName = project.group(1);
        }
        trail.record(new AuditTrail.Event(projectId, projectName, clock.instant(), keyId, keyName, request.getMethod(),
                path, status));
    }
}
