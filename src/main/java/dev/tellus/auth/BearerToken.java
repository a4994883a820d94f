package dev.tellus.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/** An unverified bearer token and where it came from (failed attempts are limited per client address). */
final class BearerToken extends AbstractAuthenticationToken {

    /** Longer than any key Tellus makes or accepts as operator key; a longer header is refused unread. */
    static final int MAX_LENGTH = 512;

    private final String token;
    private final String remoteAddress;

    BearerToken(String token, String remoteAddress) {
        super(java.util.List.of());
        this.token = token;
        this.remoteAddress = remoteAddress;
    }

    String token() {
        return token;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return null;
    }

    /** Reads {@code Authorization: Bearer <token>}; no header means anonymous, a malformed one is refused. */
    static final class Converter implements AuthenticationConverter {

        @Override
        public BearerToken convert(HttpServletRequest request) throws AuthenticationException {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header == null) {
                return null;
            }
            if (header.length() > MAX_LENGTH + 7) {
                throw new BadCredentialsException("The Authorization header is too long to hold a Tellus key.");
            }
            if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new BadCredentialsException("The Authorization header must be 'Bearer <key>'.");
            }
            String token = header.substring(7).strip();
            if (token.isEmpty()) {
                throw new BadCredentialsException("The Authorization header carries no key.");
            }
            return new BearerToken(token, request.getRemoteAddr());
        }
    }
}
