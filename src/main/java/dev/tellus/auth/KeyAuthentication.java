package dev.tellus.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by a project's key: who it is, and the per-key request rate its project allows. */
final class KeyAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;
    private final Integer requestsPerSecond;

    KeyAuthentication(Caller caller, Integer requestsPerSecond) {
        super(caller.role().granted());
        this.caller = caller;
        this.requestsPerSecond = requestsPerSecond;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    Integer requestsPerSecond() {
        return requestsPerSecond;
    }
}
