package dev.tellus.dashboard;

import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import dev.tellus.auth.KeySecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With keys required, the dashboard's pages open without a key, the JSON they read answers 401, and the page
 * asks for a key, keeps it for the tab's session and then shows only that key's project.
 */
@TestPropertySource(properties = {"tellus.auth=required", "tellus.admin-key=dashboard-test-operator-key-0123456789abcdef"})
class DashboardAuthIT extends IntegrationTest {

    private static ChromeDriver browser;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KeySecrets secrets;

    @BeforeAll
    static void openBrowser() {
        Assumptions.assumeTrue(Browser.available(), Browser::missing);
        browser = Browser.open(1400, 1000);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** A project with a write key, made directly in the database (the key endpoints are not what is tested here). */
    private String projectWithKey(String project) {
        long id = jdbc.sql("insert into project (name, created_at) values (:n, now()) returning id")
                .param("n", project).query(Long.class).single();
        KeySecrets.NewKey key = secrets.generate();
        jdbc.sql("""
                        insert into api_key (id, project_id, name, role, prefix, secret_hash, created_at)
                        values (:id, :project, 'dashboard-test', 'WRITE', :prefix, :hash, now())""")
                .param("id", UUID.randomUUID()).param("project", id).param("prefix", key.prefix())
                .param("hash", key.hash()).update();
        return key.key();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    @Test
    void thePageAsksForAKeyAndShowsOnlyItsProject() {
        String alphaKey = projectWithKey(unique("alpha"));
        String betaKey = projectWithKey(unique("beta"));
        String shared = unique("auth");
        String space = "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}";
        Http http = http();
        assertThat(http.send("PUT", "/api/v1/studies/" + shared + "-alpha", space,
                Map.of("Authorization", "Bearer " + alphaKey)).status()).isEqualTo(201);
        assertThat(http.send("PUT", "/api/v1/studies/" + shared + "-beta", space,
                Map.of("Authorization", "Bearer " + betaKey)).status()).isEqualTo(201);
        // The page needs no key; its data does.
        assertThat(http.get("/").status()).isEqualTo(200);
        assertThat(http.get("/dashboard/study.js").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/summary/studies").status()).isEqualTo(401);

        browser.get("http://localhost:" + port + "/");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.withMessage("the key form").until(d -> !d.findElements(By.cssSelector("#key-form input")).isEmpty());
        browser.findElement(By.cssSelector("#key-form input")).sendKeys(alphaKey);
        browser.findElement(By.cssSelector("#key-form button")).click();
        wait.withMessage("the list").until(d -> Boolean.TRUE.equals(js("return window.tellus.loaded")));
        browser.findElement(By.id("filter-name")).sendKeys(shared);
        wait.withMessage("only alpha's study").until(d -> List.of(shared + "-alpha").equals(js(
                "return [...document.querySelectorAll('#studies a.study-link')].map(a => a.textContent)")));
        assertThat(js("return sessionStorage.getItem('tellus.apiKey')")).isEqualTo(alphaKey);

        // The key stays for the tab: the study page reads with it, and another project's study is not found.
        browser.get("http://localhost:" + port + "/studies/" + shared + "-alpha");
        wait.withMessage("the study page").until(d -> js("return window.tellus.timings.fullyDrawn") != null);
        assertThat(browser.findElements(By.cssSelector("#key-form"))).isEmpty();
        assertThat(browser.findElement(By.id("empty")).getText()).contains("No finished trials yet");
        browser.get("http://localhost:" + port + "/studies/" + shared + "-beta");
        wait.withMessage("beta is not found with alpha's key").until(d ->
                d.findElement(By.tagName("main")).getText().contains("No study named"));
    }
}
