package dev.tellus.bench;

import dev.tellus.TellusApplication;
import dev.tellus.TestDatabase;
import dev.tellus.dashboard.Browser;
import dev.tellus.dashboard.StudySeeder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The study page on a 50,000-trial study, in headless Chromium: time to the first plot, time until every section
 * is drawn, and bytes transferred, each load in a fresh browser (cold cache). The baseline, measured in the same
 * run and the same browser, is what a dashboard without server-side summaries must do first: read every trial
 * through the public trials API (50 pages of 1,000).
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test -Dbench.main=dev.tellus.bench.DashboardBenchmark}
 * (optional {@code -Dbench.args="--trials 50000 --loads 3 --restarts 3"}; {@code --no-warm-up} starts the restarted
 * servers with {@code tellus.dashboard.warm-up=false}). After the loads in this JVM, Tellus is stopped and started
 * again as a new JVM on the same database {@code --restarts} times, and the page opened once after each start: the
 * first view after a restart. With {@code --serve PORT} it seeds (or reuses) the study
 * {@code bench-50k} and keeps serving on that port instead, for profiling by hand; point it at a database that
 * outlives it with {@code TELLUS_TEST_DATABASE_URL}.
 */
public final class DashboardBenchmark {

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(System.getProperty("bench.args", "").trim().split("\\s+"));
        int trials = intArg(a, "--trials", 50_000);
        int loads = intArg(a, "--loads", 3);
        int serve = intArg(a, "--serve", 0);
        int restarts = intArg(a, "--restarts", 3);
        // Restarted servers without the dashboard's start-up warm-up (to see what it is worth).
        boolean warmUp = !a.contains("--no-warm-up");
        if (serve > 0) {
            int i = a.indexOf("--study");
            serve(serve, trials, i >= 0 && i + 1 < a.size() ? a.get(i + 1) : "bench-50k", !a.contains("--no-warm-up"));
            return;
        }
        if (!Browser.available()) {
            System.out.println(Browser.missing());
            return;
        }
        TestDatabase.Connection db = TestDatabase.forTests();
        ConfigurableApplicationContext app = SpringApplication.run(TellusApplication.class,
                "--server.port=0", "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--logging.level.root=WARN", "--tellus.auth=off");
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            String base = "http://localhost:" + port;
            String study = "bench-" + Long.toHexString(System.nanoTime());
            var put = HttpRequest.newBuilder(URI.create(base + "/api/v1/studies/" + study))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"space\": " + StudySeeder.SPACE
                            + ", \"objectives\": [{\"name\": \"loss\", \"direction\": \"minimize\"}]}")).build();
            HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            long t0 = System.nanoTime();
            StudySeeder.seed(app.getBean(JdbcClient.class), study, trials, 1);
            System.out.printf("seeded %,d trials in %.1f s%n", trials, (System.nanoTime() - t0) / 1e9);

            JdbcClient jdbc = app.getBean(JdbcClient.class);
            var cached = new ArrayList<Map<String, Object>>();
            var changed = new ArrayList<Map<String, Object>>();
            var baseline = new ArrayList<Map<String, Object>>();
            // Load 0 is the first view after start (every summary computed from nothing, JIT cold): shown, not counted.
            Map<String, Object> first = loadPage(base, study);
            print("first view after start", first);
            for (int i = 1; i <= loads; i++) {
                // The study unchanged since the last view: the summaries come from the per-study cache.
                Map<String, Object> p = loadPage(base, study);
                print("unchanged " + i, p);
                cached.add(p);
                // A trial finished since the last view (what a running study looks like): the cache is brought up
                // to date and every summary, importance included, is computed again.
                StudySeeder.seed(jdbc, study, 1, 1000 + i);
                Map<String, Object> c = loadPage(base, study);
                print("one more trial " + i, c);
                changed.add(c);
                if (i == 1) {
                    Map<String, Object> b = readAllTrials(base, study);
                    System.out.printf("baseline, every trial through the API: %s ms, %s bytes%n", b.get("ms"), b.get("bytes"));
                    baseline.add(b);
                }
            }
            // The first view after a restart: Tellus stopped and started again as a new JVM on the same database
            // (nothing of the study in memory, nothing compiled), the page opened as soon as it serves.
            app.close();
            app = null;
            var restarted = new ArrayList<Map<String, Object>>();
            for (int i = 1; i <= restarts; i++) {
                Map<String, Object> r = afterRestart(db, study, warmUp);
                print("after restart " + i, r);
                restarted.add(r);
            }
            double readAll = median(baseline, "ms");
            double readAllBytes = median(baseline, "bytes");
            System.out.println();
            System.out.printf("load average at the end (other processes on this machine): %s%n", loadAverage());
            System.out.printf("study page, %,d trials, median of %d cold-browser loads at 1400x1000 (targets: first plot <= 2000 ms, fully drawn <= 5000 ms):%n", trials, loads);
            System.out.printf("  %-34s first plot %6.0f ms, fully drawn %6.0f ms, %,8.0f bytes%n", "study unchanged since last view",
                    median(cached, "firstPlot"), median(cached, "fullyDrawn"), median(cached, "bytes"));
            System.out.printf("  %-34s first plot %6.0f ms, fully drawn %6.0f ms, %,8.0f bytes%n", "a trial finished since last view",
                    median(changed, "firstPlot"), median(changed, "fullyDrawn"), median(changed, "bytes"));
            System.out.printf("  %-34s first plot %6.0f ms, fully drawn %6.0f ms (one run)%n", "first view after start",
                    ((Number) first.get("firstPlot")).doubleValue(), ((Number) first.get("fullyDrawn")).doubleValue());
            if (!restarted.isEmpty()) {
                System.out.printf("  %-34s first plot %6.0f ms, fully drawn %6.0f ms, %,8.0f bytes (median of %d restarts; runs: %s)%n",
                        "first view after a restart" + (warmUp ? "" : " (no warm-up)"), median(restarted, "firstPlot"), median(restarted, "fullyDrawn"),
                        median(restarted, "bytes"), restarted.size(), restarted.stream()
                                .map(r -> r.get("firstPlot") + "/" + r.get("fullyDrawn")).toList());
            }
            System.out.printf("  transferred: %s%n", first.get("detail"));
            System.out.printf("baseline, every trial through GET /trials (1000 a page): %6.0f ms, %,.0f bytes%n", readAll, readAllBytes);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /**
     * Starts Tellus as a new JVM on the benchmark's database (the {@code --serve} mode of this class), waits until
     * it serves, opens the study page once and stops it.
     */
    private static Map<String, Object> afterRestart(TestDatabase.Connection db, String study, boolean warmUp) throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var command = new ArrayList<String>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), "-Dbench.args=--serve " + port + " --study " + study + (warmUp ? "" : " --no-warm-up"),
                DashboardBenchmark.class.getName()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TELLUS_TEST_DATABASE_URL", db.url());
        builder.environment().put("TELLUS_TEST_DATABASE_USERNAME", db.username());
        builder.environment().put("TELLUS_TEST_DATABASE_PASSWORD", db.password() == null ? "" : db.password());
        Process server = builder.start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("serving ")) {
                    break;
                }
                if (line.contains("ERROR") || line.startsWith("Exception") || line.contains("warm-up")
                        || line.startsWith("started in")) {
                    System.out.println("        server: " + line);
                }
            }
            // Keep draining the server's output so it never blocks on a full pipe.
            Thread drain = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.contains("ERROR")) {
                            System.out.println("        server: " + line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the server stopped
                }
            });
            Map<String, Object> load = loadPage("http://localhost:" + port, study);
            drain.join(200);
            return load;
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** This JVM's class path, also when run by exec:java (whose class loader holds the project's class path). */
    private static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader) {
            var entries = new ArrayList<String>();
            for (java.net.URL url : loader.getURLs()) {
                try {
                    entries.add(java.nio.file.Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (!entries.isEmpty()) {
                return String.join(java.io.File.pathSeparator, entries);
            }
        }
        return System.getProperty("java.class.path");
    }

    /** Seeds bench-50k once (kept across runs on a persistent database) and serves until killed. */
    private static void serve(int port, int trials, String study, boolean warmUp) throws Exception {
        TestDatabase.Connection db = TestDatabase.forTests();
        long t0 = System.nanoTime();
        ConfigurableApplicationContext app = SpringApplication.run(TellusApplication.class,
                "--server.port=" + port, "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--logging.level.root=WARN", "--tellus.auth=off",
                "--logging.level.dev.tellus.dashboard.DashboardWarmUp=INFO", "--tellus.dashboard.warm-up=" + warmUp);
        System.out.printf("started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        boolean exists = jdbc.sql("select count(*) from study where name = :name").param("name", study)
                .query(Long.class).single() > 0;
        if (!exists && study.equals("bench-50k")) {
            var put = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/studies/" + study))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"space\": " + StudySeeder.SPACE
                            + ", \"objectives\": [{\"name\": \"loss\", \"direction\": \"minimize\"}]}")).build();
            HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            StudySeeder.seed(jdbc, study, trials, 1);
        }
        System.out.printf("serving http://localhost:%d/studies/%s%n", port, study);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void print(String what, Map<String, Object> load) {
        System.out.printf("%-24s first plot %s ms, fully drawn %s ms, %s bytes%n        requests (start-end ms): %s%n        drawn (start-end ms): %s%n",
                what, load.get("firstPlot"), load.get("fullyDrawn"), load.get("bytes"), load.get("requests"), load.get("sections"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadPage(String base, String study) {
        ChromeDriver browser = Browser.open(1400, 1000);
        try {
            browser.get(base + "/studies/" + study + "?poll=600000");
            var js = (JavascriptExecutor) browser;
            long deadline = System.currentTimeMillis() + 60_000;
            while (js.executeScript("return window.tellus && window.tellus.timings.fullyDrawn") == null) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("not drawn within 60 s: " + js.executeScript("return window.tellus && window.tellus.drawn"));
                }
                Thread.sleep(20);
            }
            return (Map<String, Object>) js.executeScript("""
                    const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
                    const bytes = entries.reduce((s, e) => s + (e.transferSize || 0), 0);
                    const api = entries.filter(e => e.name.includes('/api/')).reduce((s, e) => s + (e.transferSize || 0), 0);
                    const ends = entries.filter(e => e.name.includes('/api/') || e.name.includes('echarts'))
                        .map(e => `${new URL(e.name).pathname.split('/').slice(-2).join('/')} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`);
                    return {firstPlot: Math.round(tellus.timings.firstPlot), fullyDrawn: Math.round(tellus.timings.fullyDrawn),
                            bytes: bytes, detail: `${entries.length} requests, JSON ${api.toLocaleString('en-US')} bytes`,
                            requests: ends.join(', '),
                            sections: Object.entries(tellus.timings.sections).map(([k, v]) => `${k} ${v[0]}-${v.at(-1)}`).join(', ')};""");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            browser.quit();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readAllTrials(String base, String study) {
        ChromeDriver browser = Browser.open(1400, 1000);
        try {
            browser.manage().timeouts().scriptTimeout(java.time.Duration.ofMinutes(3));
            browser.get(base + "/dashboard/dashboard.css");
            return (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    (async () => {
                      const t = performance.now();
                      let after = null, rows = 0;
                      for (;;) {
                        const r = await fetch(`/api/v1/studies/%s/trials?limit=1000${after === null ? '' : '&after=' + after}`);
                        const page = await r.json();
                        rows += page.trials.length;
                        if (page.next === null) break;
                        after = page.next;
                      }
                      const bytes = performance.getEntriesByType('resource').filter(e => e.name.includes('/trials'))
                          .reduce((s, e) => s + e.transferSize, 0);
                      done({ms: Math.round(performance.now() - t), bytes, rows});
                    })();""".formatted(study));
        } finally {
            browser.quit();
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Map<String, Object>> runs, String key) {
        double[] v = runs.stream().mapToDouble(m -> ((Number) m.get(key)).doubleValue()).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
    }
}
