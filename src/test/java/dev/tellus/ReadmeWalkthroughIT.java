package dev.tellus;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's curl walkthrough, run as written (against this test's port and a fresh study name). */
class ReadmeWalkthroughIT extends IntegrationTest {

    @Test
    void theCurlWalkthroughWorksAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Walkthrough with curl");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        int end = readme.indexOf("```", start);
        assertThat(section).isPositive();
        String name = "walkthrough-" + UUID.randomUUID().toString().substring(0, 8);
        String script = readme.substring(start, end)
                .replace("localhost:8080", "localhost:" + port)
                .replace("/studies/walkthrough", "/studies/" + name);

        Process bash = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true).start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(output).isZero();

        // Create, ask, tell, best: four JSON answers; the last one is the told trial as the best.
        assertThat(output).contains("\"name\":\"" + name + "\"").contains("\"state\":\"RUNNING\"")
                .contains("\"values\":[0.42]");
        assertThat(http().get("/api/v1/studies/" + name + "/best").body().at("/trials/0/values/0").asDouble()).isEqualTo(0.42);
    }
}
