package dev.tellus.auth;

import dev.tellus.TellusProperties;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes API keys and the hashes they are stored under. A key is {@code tls_} + 8 characters of non-secret prefix
 * + {@code _} + 43 characters carrying 256 random bits. Keys are random, not chosen by people, so a fast keyed
 * hash (HMAC-SHA256) is enough: nobody can guess 256 bits, and a slow password hash would cost every request
 * tens of milliseconds for nothing. The pepper ({@code TELLUS_KEY_PEPPER}, optional) keeps a copy of the database
 * alone from confirming a key.
 */
@Component
public class KeySecrets {

    public static final String SCHEME = "tls_";
    /** What a well-formed key looks like; anything else is refused before any lookup. */
    static final Pattern FORMAT = Pattern.compile("tls_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}");
    private static final char[] PREFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec pepper;

    KeySecrets(TellusProperties properties) {
        String given = properties.keyPepper() == null ? "" : properties.keyPepper();
        // A fixed domain separator when no pepper is configured: the hash is still keyed, just not secret.
        this.pepper = new SecretKeySpec(("tellus-api-key:" + given).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A new key and what is stored of it. */
    public record NewKey(String key, String prefix, byte[] hash) {
    }

    public NewKey generate() {
        var prefix = new StringBuilder(SCHEME);
        for (int i = 0; i < 8; i++) {
            prefix.append(PREFIX_ALPHABET[random.nextInt(PREFIX_ALPHABET.length)]);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(key, prefix.toString(), hash(key));
    }

    public byte[] hash(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    /** Compares in time independent of where the first difference is. */
    static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
