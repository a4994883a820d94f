package dev.tellus;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client's pytest suite ({@code clients/python/tests}: the client surface, retries through a
 * connection-dropping proxy, a worker killed mid-trial, the CLI agent, the examples) against this test's server.
 * Skipped, with one line saying why, where no {@code python3} with pytest is installed; {@code .ci/run} installs it.
 */
// Asks that find nothing to hand out say "retry after 1 s" instead of 5: the suite's workers finish sooner.
@TestPropertySource(properties = "tellus.retry-after-seconds=1")
class PythonClientIT extends IntegrationTest {

    /** The python3 on the PATH, and Debian's (where apt installs python3-pytest beside, say, a pyenv one). */
    private static final List<String> INTERPRETERS = List.of("python3", "/usr/bin/python3");

    @Test
    void pytestSuitePasses() throws Exception {
        // The examples need scikit-learn and PyYAML too: prefer an interpreter that has everything.
        String python = INTERPRETERS.stream().filter(p -> imports(p, "pytest, sklearn, yaml")).findFirst()
                .orElseGet(() -> INTERPRETERS.stream().filter(p -> imports(p, "pytest")).findFirst().orElse(null));
        if (python == null) {
            System.out.println("PythonClientIT skipped: no python3 with pytest found (apt-get install python3-pytest)");
        }
        Assumptions.assumeTrue(python != null, "no python3 with pytest found (apt-get install python3-pytest)");

        System.out.println("PythonClientIT: pytest with " + python);
        ProcessBuilder builder = new ProcessBuilder(python, "-m", "pytest", "clients/python/tests", "-q",
                "-p", "no:cacheprovider", "-rs", "--durations=5")
                .redirectErrorStream(true);
        builder.environment().put("TELLUS_URL", "http://localhost:" + port);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process pytest = builder.start();
        // Echo as it runs, keep the tail for the assertion message.
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(pytest.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println("[pytest] " + line);
                tail.addLast(line);
                if (tail.size() > 200) {
                    tail.removeFirst();
                }
            }
        }
        assertThat(pytest.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(pytest.exitValue()).as(String.join("\n", tail)).isZero();
        assertThat(String.join("\n", tail)).containsPattern("\\d+ passed");
    }

    private static boolean imports(String python, String modules) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + modules).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
