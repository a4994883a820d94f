package dev.tellus.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Verifies a bearer token: the operator key, or a project's key found by its hash. Wrong keys are counted per
 * client address, and an address past {@link #FAILURES_BURST} recent failures is refused before any lookup, so
 * guessing keys costs the guesser time and the database nothing.
 */
final class KeyAuthenticationProvider implements AuthenticationProvider {

    static final int FAILURES_BURST = 20;
    static final int FAILURES_PER_SECOND = 5;

    private final KeySecrets secrets;
    private final KeyDirectory directory;
    private final Clock clock;
    private final byte[] operatorHash;
    private final Cache<String, Bucket> failuresByAddress = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    KeyAuthenticationProvider(KeySecrets secrets, KeyDirectory directory, Clock clock, String operatorKey) {
        this.secrets = secrets;
        this.directory = directory;
        this.clock = clock;
        this.operatorHash = operatorKey == null ? null : secrets.hash(operatorKey);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        BearerToken bearer = (BearerToken) authentication;
        Bucket failures = failuresByAddress.get(bearer.remoteAddress(), a -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(FAILURES_BURST)
                        .refillGreedy(FAILURES_PER_SECOND, Duration.ofSeconds(1)).build())
                .build());
        if (failures.getAvailableTokens() <= 0) {
            throw new TooManyFailedAttempts(1);
        }
        String token = bearer.token();
        // Only printable ASCII can be a key; NUL or non-ASCII bytes are refused before hashing or lookup.
        if (token.length() > BearerToken.MAX_LENGTH || !printableAscii(token)) {
            failures.tryConsume(1);
            throw new BadCredentialsException("The key contains characters no Tellus key has.");
        }
        byte[] hash = secrets.hash(token);
        if (operatorHash != null && KeySecrets.sameHash(hash, operatorHash)) {
            return UsernamePasswordAuthenticationToken.authenticated(Operator.INSTANCE, null,
                    AuthorityUtils.createAuthorityList(Operator.AUTHORITY));
        }
        if (!KeySecrets.FORMAT.matcher(token).matches()) {
            failures.tryConsume(1);
            throw new BadCredentialsException("This is not a Tellus key (they look like tls_XXXXXXXX_…).");
        }
        KeyDirectory.ActiveKey key;
        try {
            key = directory.find(hash).orElse(null);
        } catch (DataAccessException e) {
            throw new AuthenticationServiceException("The key could not be checked: the database is unavailable.", e);
        }
        if (key == null) {
            failures.tryConsume(1);
            throw new BadCredentialsException("Unknown or revoked key.");
        }
        Instant now = clock.instant();
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            throw new CredentialsExpiredException("The key expired at " + key.expiresAt() + ".");
        }
        return new KeyAuthentication(new Caller(key.projectId(), key.projectName(), key.role(), key.id(), key.name()),
                key.requestsPerSecond());
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return !s.isEmpty() && s.getBytes(StandardCharsets.US_ASCII).length == s.length();
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerToken.class.isAssignableFrom(authentication);
    }
}
