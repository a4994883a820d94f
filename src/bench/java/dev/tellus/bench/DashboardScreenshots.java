package dev.tellus.bench;

import dev.tellus.TellusApplication;
import dev.tellus.TestDatabase;
import dev.tellus.dashboard.Browser;
import dev.tellus.dashboard.StudySeeder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's screenshots: a few demo studies, then the list, a single-objective study and a two-objective study
 * at 1400x1000 in headless Chromium, written to docs/images.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test -Dbench.main=dev.tellus.bench.DashboardScreenshots}
 */
public final class DashboardScreenshots {

    private DashboardScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        if (!Browser.available()) {
            System.out.println(Browser.missing());
            return;
        }
        Path out = Path.of(System.getProperty("bench.args", "").isBlank() ? "docs/images" : System.getProperty("bench.args").trim());
        Files.createDirectories(out);
        TestDatabase.Connection db = TestDatabase.forTests();
        ConfigurableApplicationContext app = SpringApplication.run(TellusApplication.class,
                "--server.port=0", "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--logging.level.root=WARN", "--tellus.auth=off");
        ChromeDriver browser = null;
        try {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            put(base, "resnet-cifar10", "{\"space\": " + StudySeeder.SPACE + ", \"objectives\": [{\"name\": \"loss\"}],"
                    + " \"strategy\": {\"name\": \"tpe\", \"seed\": 7}, \"pruner\": {\"name\": \"median\"}, \"maxTrials\": 1000}");
            StudySeeder.seed(jdbc, "resnet-cifar10", 800, 3);
            put(base, "detector-tradeoff", """
                    {"space": {"width": {"type": "int", "low": 16, "high": 512, "log": true},
                               "depth": {"type": "int", "low": 2, "high": 24},
                               "lr": {"type": "float", "low": 1e-4, "high": 0.1, "log": true}},
                     "objectives": [{"name": "error", "direction": "minimize"}, {"name": "latencyMs", "direction": "minimize"}],
                     "strategy": {"name": "random", "seed": 3}}""");
            // error falls with capacity (log width × depth) and a good lr; latency grows with width and depth.
            jdbc.sql("""
                    insert into trial (study_id, number, state, params, objective_values, worker, created_at, started_at, finished_at)
                    select s.id, g.n, 'COMPLETED', jsonb_build_object('width', g.w, 'depth', g.d, 'lr', g.lr),
                           array[0.05 + 2.0 / (1 + ln(g.w) * g.d) + 0.05 * (log(g.lr) + 2) ^ 2 + 0.01 * g.e,
                                 2 + 0.02 * g.w * g.d ^ 0.8 + 0.5 * g.e],
                           'worker-' || (g.n % 4), now() - make_interval(secs => (300 - g.n) * 20),
                           now() - make_interval(secs => (300 - g.n) * 20), now() - make_interval(secs => (300 - g.n) * 20 - 15)
                    from study s, (select n, round(exp(ln(16) + (ln(512) - ln(16)) * ((hashint8extended(n, 1) & 1023) / 1024.0)))::int as w,
                                          2 + (hashint8extended(n, 2) & 1023) % 23 as d,
                                          power(10, -4 + 3 * ((hashint8extended(n, 3) & 1023) / 1024.0)) as lr,
                                          ((hashint8extended(n, 4) & 1023) / 512.0) - 1 as e
                                   from generate_series(0, 299) n) g
                    where s.name = 'detector-tradeoff'""").update();
            jdbc.sql("update study set next_number = 300 where name = 'detector-tradeoff'").update();
            put(base, "bert-finetune", "{\"space\": {\"lr\": {\"type\": \"float\", \"low\": 1e-6, \"high\": 1e-3, \"log\": true},"
                    + " \"warmup\": {\"type\": \"int\", \"low\": 0, \"high\": 2000}}, \"objectives\": [{\"name\": \"accuracy\", \"direction\": \"maximize\"}]}");

            browser = Browser.open(1400, 1000);
            shoot(browser, base + "/", out.resolve("dashboard-list.png"), "window.tellus && window.tellus.loaded");
            shoot(browser, base + "/studies/resnet-cifar10", out.resolve("dashboard-study.png"), "window.tellus && window.tellus.timings.fullyDrawn");
            shoot(browser, base + "/studies/detector-tradeoff", out.resolve("dashboard-pareto.png"), "window.tellus && window.tellus.timings.fullyDrawn");
            System.out.println("screenshots in " + out.toAbsolutePath());
        } finally {
            if (browser != null) {
                browser.quit();
            }
            app.close();
        }
    }

    private static void put(String base, String name, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + "/api/v1/studies/" + name))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.body());
        }
    }

    private static void shoot(ChromeDriver browser, String url, Path file, String ready) throws Exception {
        browser.get(url);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return !!(" + ready + ")"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("not ready: " + url);
            }
            Thread.sleep(50);
        }
        Thread.sleep(300);
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }
}
