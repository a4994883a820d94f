package dev.tellus.auth;

import dev.tellus.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization headers built to hurt, and key guessing. Its own application context (the property below
 * differs), so the failed-attempt counters of other tests do not leak in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tellus.reaper-interval=PT0.2S", "tellus.auth=required", "tellus.admin-key=" + AuthenticatedTest.OPERATOR_KEY,
                "tellus.key-cache-ttl=PT1.5S"})
class AuthHostileIT extends AuthenticatedTest {

    /** Sends raw bytes, so headers no HTTP client library would write reach the server as they are. */
    private int rawStatus(byte[] authorization) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/studies HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: "
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(authorization);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            var line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            return Integer.parseInt(line.toString(StandardCharsets.US_ASCII).split(" ")[1]);
        }
    }

    @Test
    void malformedOversizedAndNonAsciiKeysAreRefusedWithoutA5xx() throws Exception {
        String valid = key(project(null), "read").get("key").asString();
        assertThat(rawStatus(("Bearer " + valid).getBytes(StandardCharsets.US_ASCII))).isEqualTo(200);

        assertThat(http().withKey("x".repeat(10_000)).get("/api/v1/studies").status()).isEqualTo(401);
        assertThat(http().get("/api/v1/studies", Map.of("Authorization", "Bearer")).status()).isEqualTo(401);
        assertThat(http().get("/api/v1/studies", Map.of("Authorization", "Bearer    ")).status()).isEqualTo(401);
        assertThat(http().get("/api/v1/studies", Map.of("Authorization", "tls_only")).status()).isEqualTo(401);
        assertThat(http().withKey(valid + "x").get("/api/v1/studies").status()).isEqualTo(401);
        assertThat(http().withKey(valid.toUpperCase()).get("/api/v1/studies").status()).isEqualTo(401);

        byte[] nul = ("Bearer " + valid.substring(0, 20) + "\0" + valid.substring(21)).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(rawStatus(nul)).isIn(400, 401);
        byte[] utf8 = ("Bearer tls_ÄÖÜßéèçñ_" + "ä".repeat(40)).getBytes(StandardCharsets.UTF_8);
        assertThat(rawStatus(utf8)).isIn(400, 401);
        byte[] huge = ("Bearer " + "a".repeat(200_000)).getBytes(StandardCharsets.US_ASCII);
        assertThat(rawStatus(huge)).isBetween(400, 499);
        // The valid key still works: nothing above locked it out.
        assertThat(http().withKey(valid).get("/api/v1/studies").status()).isEqualTo(200);
    }

    @Test
    void guessingKeysIsSlowedTo429AndNeverFailsTheServer() {
        List<Integer> statuses = new ArrayList<>();
        Http.Response limited = null;
        for (int i = 0; i < 60; i++) {
            String guess = "tls_GUESS%03d_%s".formatted(i, "A".repeat(43)).replace("GUESS", "GUES");
            Http.Response r = http().withKey(guess).get("/api/v1/studies");
            statuses.add(r.status());
            if (r.status() == 429) {
                limited = r;
            }
        }
        assertThat(statuses).allMatch(s -> s == 401 || s == 429);
        assertThat(statuses.subList(0, KeyAuthenticationProvider.FAILURES_BURST - 2)).containsOnly(401);
        assertThat(statuses.subList(40, 60)).contains(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.header("Retry-After")).isNotNull();
    }
}
