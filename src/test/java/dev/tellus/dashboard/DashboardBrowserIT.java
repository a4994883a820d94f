package dev.tellus.dashboard;

import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium: what is asserted is what the page rendered (canvases, chart series
 * read back from ECharts, table rows), not the HTML the server sent.
 */
class DashboardBrowserIT extends IntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(DashboardBrowserIT.class);
    private static ChromeDriver browser;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void openBrowser() {
        if (!Browser.available()) {
            log.warn(Browser.missing());
        }
        Assumptions.assumeTrue(Browser.available(), Browser::missing);
        browser = Browser.open(1400, 1000);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private long number(String script, Object... args) {
        return ((Number) js(script, args)).longValue();
    }

    private void until(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(what).until(d -> condition.getAsBoolean());
    }

    private void openStudy(String name, String query) {
        browser.get(url("/studies/" + name + query));
        until("the page is fully drawn", () -> js("return window.tellus && window.tellus.timings.fullyDrawn") != null);
    }

    private String createSeeded(String prefix, int trials) {
        String name = unique(prefix);
        http().put("/api/v1/studies/" + name, """
                {"space": %s, "objectives": [{"name": "loss", "direction": "minimize"}]}""".formatted(StudySeeder.SPACE));
        StudySeeder.seed(jdbc, name, trials, 11);
        return name;
    }

    @Test
    void theListShowsStudiesAndFiltersThem() {
        String prefix = unique("list");
        http().put("/api/v1/studies/" + prefix + "-a", "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}");
        http().put("/api/v1/studies/" + prefix + "-b", "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}");
        http().patch("/api/v1/studies/" + prefix + "-b", "{\"state\": \"PAUSED\"}");
        browser.get(url("/"));
        until("the list loaded", () -> Boolean.TRUE.equals(js("return window.tellus && window.tellus.loaded")));

        browser.findElement(By.id("filter-name")).sendKeys(prefix);
        until("two rows match the name", () -> links().equals(List.of(prefix + "-a", prefix + "-b"))
                || links().equals(List.of(prefix + "-b", prefix + "-a")));
        new Select(browser.findElement(By.id("filter-state"))).selectByValue("PAUSED");
        until("only the paused study is left", () -> links().equals(List.of(prefix + "-b")));
        browser.findElement(By.linkText(prefix + "-b")).click();
        until("the study page opened", () -> browser.getCurrentUrl().endsWith("/studies/" + prefix + "-b"));
    }

    /** The names in the list, read in one step (the list re-renders while it is being read). */
    @SuppressWarnings("unchecked")
    private List<String> links() {
        return new ArrayList<>((List<String>) js(
                "return [...document.querySelectorAll('#studies a.study-link')].map(a => a.textContent)"));
    }

    @Test
    void afterAChangeImportanceShowsTheEarlierEstimateThenTheCurrentOne() {
        String name = createSeeded("imp-live", 600);
        openStudy(name, "?poll=600000");
        assertThat(js("return tellus.importanceCurrent")).isEqualTo(true);
        String before = browser.findElement(By.id("importance-note")).getText();
        assertThat(before).doesNotContain("updating");

        // Trials finished since the server's last estimate: the page draws that one, says so, then the new one.
        StudySeeder.seed(jdbc, name, 300, 12);
        openStudy(name, "?poll=600000");
        assertThat(js("return tellus.importanceCurrent")).isEqualTo(false);
        assertThat(browser.findElement(By.id("importance-note")).getText()).contains("updating");
        assertThat(number("return tellus.points('importance')")).isEqualTo(5);
        until("the current estimate replaced it", () -> Boolean.TRUE.equals(js("return tellus.importanceCurrent")));
        String after = browser.findElement(By.id("importance-note")).getText();
        assertThat(after).doesNotContain("updating").isNotEqualTo(before);
    }

    @Test
    void aStudyPageDrawsItsPlots() {
        String name = createSeeded("page", 400);
        long completed = jdbc.sql("select count(*) from trial t join study s on s.id = t.study_id where s.name = :n and t.state = 'COMPLETED'")
                .param("n", name).query(Long.class).single();
        openStudy(name, "");

        // History: trials, best-so-far line, pruned and failed markers; every completed trial (below the budget).
        assertThat(number("return tellus.series('history')")).isEqualTo(4);
        assertThat(number("return tellus.points('history', 0)")).isEqualTo(completed);
        assertThat(number("return tellus.points('history', 2)")).isPositive();
        assertThat(number("return tellus.points('history', 3)")).isPositive();
        for (String section : List.of("history", "parallel", "importance", "intermediate")) {
            assertThat(browser.findElements(By.cssSelector("#" + section + " canvas"))).as(section).isNotEmpty();
            assertThat(browser.findElement(By.id(section)).isDisplayed()).as(section).isTrue();
        }
        // Importance: one bar per parameter, lr (the parameter the loss depends on most) first.
        @SuppressWarnings("unchecked")
        List<String> bars = (List<String>) js("return tellus.charts.importance.getOption().yAxis[0].data");
        assertThat(bars).hasSize(5).last().isEqualTo("lr");
        // Slices: one per parameter; parallel coordinates: one line per completed trial.
        assertThat(browser.findElements(By.cssSelector("#slices canvas"))).hasSize(5);
        assertThat(number("return tellus.points('parallel')")).isEqualTo(completed);
        assertThat(number("return tellus.series('intermediate')")).isPositive();
        // The table: a page of 50 rows out of every trial.
        assertThat(browser.findElements(By.cssSelector("#trials-table tbody tr"))).hasSize(50);
        assertThat(number("return tellus.tableTotal")).isEqualTo(400);
        assertThat(browser.findElement(By.cssSelector("#best .big")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("empty")).isDisplayed()).isFalse();
    }

    @Test
    void brushingAStateFilterAndSortingChangeTheTable() {
        String name = createSeeded("brush", 300);
        openStudy(name, "");
        assertThat(number("return tellus.tableTotal")).isEqualTo(300);

        // Brush lr to [1e-3, 1e-2] on the parallel coordinates (the action a drag along the axis dispatches).
        js("tellus.charts.parallel.dispatchAction({type: 'axisAreaSelect', parallelAxisId: tellus.axisIds.lr, intervals: [[1e-3, 1e-2]]})");
        long expected = jdbc.sql("""
                        select count(*) from trial t join study s on s.id = t.study_id
                        where s.name = :n and (t.params ->> 'lr')::float8 between 1e-3 and 1e-2""")
                .param("n", name).query(Long.class).single();
        until("the table shows the brushed trials", () -> number("return tellus.tableTotal") == expected);
        assertThat(expected).isBetween(30L, 150L);
        assertThat(browser.findElement(By.id("brush-note")).getText()).contains("lr ∈");
        int lrColumn = columnOf("param:lr");
        for (WebElement row : browser.findElements(By.cssSelector("#trials-table tbody tr"))) {
            double lr = Double.parseDouble(row.findElements(By.tagName("td")).get(lrColumn).getText());
            assertThat(lr).isBetween(1e-3 * 0.999, 1e-2 * 1.001);
        }

        // A state filter on top of the brush.
        new Select(browser.findElement(By.id("state-filter"))).selectByValue("PRUNED");
        long prunedInRange = jdbc.sql("""
                        select count(*) from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'PRUNED' and (t.params ->> 'lr')::float8 between 1e-3 and 1e-2""")
                .param("n", name).query(Long.class).single();
        until("only pruned trials", () -> number("return tellus.tableTotal") == prunedInRange);

        // Clearing the brush and the filter, then sorting by loss: the best trial comes first.
        browser.findElement(By.id("clear-brush")).click();
        new Select(browser.findElement(By.id("state-filter"))).selectByValue("");
        until("every trial again", () -> number("return tellus.tableTotal") == 300);
        browser.findElement(By.cssSelector("th[data-sort='value:loss']")).click();
        long best = jdbc.sql("""
                        select t.number from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'COMPLETED' order by t.objective_values[1] limit 1""")
                .param("n", name).query(Long.class).single();
        // Read in one step: the table re-renders while it is being read.
        until("the best trial on top", () -> String.valueOf(best).equals(js(
                "const r = document.querySelector('#trials-table tbody tr'); return r && r.dataset.number")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void draggingAlongAParallelAxisFiltersTheTableAndTheCsv() {
        String name = createSeeded("drag", 300);
        openStudy(name, "");
        assertThat(number("return tellus.tableTotal")).isEqualTo(300);

        // Where lr = 1e-3 and lr = 1e-2 are on the lr axis, in page pixels relative to the chart's centre (the
        // chart scrolled into the middle of the window first, so the whole axis is on screen).
        js("document.getElementById('parallel').scrollIntoView({block: 'center'})");
        Map<String, Object> at = (Map<String, Object>) js("""
                const chart = tellus.charts.parallel;
                const parallel = chart.getModel().getComponent('parallel', 0).coordinateSystem;
                const dim = parallel.dimensions[0];
                const [x1, y1] = parallel.dataToPoint(1e-3, dim);
                const [x2, y2] = parallel.dataToPoint(1e-2, dim);
                const w = chart.getWidth(), h = chart.getHeight();
                return {x1: x1 - w / 2, y1: y1 - h / 2, x2: x2 - w / 2, y2: y2 - h / 2};""");
        WebElement chart = browser.findElement(By.cssSelector("#parallel .chart"));
        int x1 = (int) Math.round(((Number) at.get("x1")).doubleValue());
        int y1 = (int) Math.round(((Number) at.get("y1")).doubleValue());
        int x2 = (int) Math.round(((Number) at.get("x2")).doubleValue());
        int y2 = (int) Math.round(((Number) at.get("y2")).doubleValue());
        // A real drag: press on the axis at 1e-3, move along it in steps, release at 1e-2.
        new Actions(browser).moveToElement(chart, x1, y1).clickAndHold()
                .moveToElement(chart, x1, (2 * y1 + y2) / 3).moveToElement(chart, x2, (y1 + 2 * y2) / 3)
                .moveToElement(chart, x2, y2).release().perform();

        until("the brush reached the table", () -> js("return tellus.filter") != null);
        List<Number> range = (List<Number>) js("return tellus.filter.params.lr");
        double lo = range.get(0).doubleValue();
        double hi = range.get(1).doubleValue();
        // The drag selected about [1e-3, 1e-2] (a pixel is ~1% of a decade on this axis).
        assertThat(lo).isBetween(0.8e-3, 1.25e-3);
        assertThat(hi).isBetween(0.8e-2, 1.25e-2);
        long expected = jdbc.sql("""
                        select count(*) from trial t join study s on s.id = t.study_id
                        where s.name = :n and (t.params ->> 'lr')::float8 between :lo and :hi""")
                .param("n", name).param("lo", lo).param("hi", hi).query(Long.class).single();
        until("the table shows the brushed trials", () -> number("return tellus.tableTotal") == expected);
        assertThat(expected).isBetween(30L, 150L);
        assertThat(browser.findElement(By.id("brush-note")).getText()).contains("lr ∈");

        // The CSV download holds exactly the brushed trials (every page, not only the one shown).
        new Select(browser.findElement(By.id("state-filter"))).selectByValue("COMPLETED");
        long completedInRange = jdbc.sql("""
                        select count(*) from trial t join study s on s.id = t.study_id
                        where s.name = :n and t.state = 'COMPLETED' and (t.params ->> 'lr')::float8 between :lo and :hi""")
                .param("n", name).param("lo", lo).param("hi", hi).query(Long.class).single();
        until("only completed brushed trials", () -> number("return tellus.tableTotal") == completedInRange);
        js("tellus.lastCsv = null");
        browser.findElement(By.id("csv")).click();
        until("the CSV was downloaded", () -> js("return tellus.lastCsv") != null);
        List<String> lines = ((String) js("return tellus.lastCsv")).lines().toList();
        assertThat(lines.get(0)).startsWith("number,state,lr,layers,dropout,optimizer,momentum,loss,");
        assertThat(lines).hasSize((int) completedInRange + 1);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells[1]).isEqualTo("COMPLETED");
            assertThat(Double.parseDouble(cells[2])).isBetween(lo, hi);
        }
    }

    private int columnOf(String sortKey) {
        List<WebElement> headers = browser.findElements(By.cssSelector("#trials-table thead th"));
        for (int i = 0; i < headers.size(); i++) {
            if (sortKey.equals(headers.get(i).getAttribute("data-sort"))) {
                return i;
            }
        }
        throw new AssertionError("no column " + sortKey);
    }

    @Test
    void aStudyWithTwoObjectivesShowsItsParetoFront() {
        String name = unique("pareto");
        http().put("/api/v1/studies/" + name, """
                {"space": {"x": {"type": "float", "low": 0, "high": 1}},
                 "objectives": [{"name": "error", "direction": "minimize"}, {"name": "speed", "direction": "maximize"}]}""");
        // Front: (0.1, 1), (0.2, 2), (0.3, 3); dominated: (0.3, 1), (0.25, 1.5).
        double[][] values = {{0.1, 1}, {0.2, 2}, {0.3, 3}, {0.3, 1}, {0.25, 1.5}};
        for (double[] v : values) {
            assertThat(http().post("/api/v1/studies/" + name + "/trials",
                    "{\"params\": {\"x\": 0.5}, \"values\": [%s, %s]}".formatted(v[0], v[1])).status()).isEqualTo(201);
        }
        openStudy(name, "");
        WebElement pareto = browser.findElement(By.id("pareto"));
        assertThat(pareto.isDisplayed()).isTrue();
        assertThat(pareto.findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(number("return tellus.series('pareto-0')")).isEqualTo(2);
        assertThat(number("return tellus.points('pareto-0', 1)")).as("front").isEqualTo(3);
        assertThat(number("return tellus.points('pareto-0', 0)")).as("dominated").isEqualTo(2);
        assertThat(browser.findElement(By.id("best")).getText()).contains("Pareto front");
    }

    @Test
    void aNewTrialAppearsWithoutAReload() {
        String name = unique("live");
        http().put("/api/v1/studies/" + name, "{\"space\": {\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}}}");
        openStudy(name, "?poll=300");
        assertThat(browser.findElement(By.id("empty")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("empty")).getText()).contains("curl").contains("import requests");

        var asked = http().post("/api/v1/studies/" + name + "/trials/ask", null).body();
        long number = asked.get("trials").get(0).get("number").asLong();
        http().post("/api/v1/studies/" + name + "/trials/" + number + "/tell", "{\"value\": 0.125}");

        until("the told trial is in the table", () -> !browser.findElements(
                By.cssSelector("#trials-table tbody tr[data-number='" + number + "']")).isEmpty());
        until("the history shows it", () -> number("return tellus.points('history', 0)") == 1);
        assertThat(browser.findElement(By.id("empty")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("#best .big")).getText()).startsWith("0.125");
        assertThat(browser.findElement(By.id("trial-count")).getText()).isEqualTo("1");
    }

    @Test
    void unknownStudySaysSo() {
        browser.get(url("/studies/" + unique("missing")));
        until("the page says so", () -> browser.findElement(By.tagName("main")).getText().contains("No study named"));
    }

}
