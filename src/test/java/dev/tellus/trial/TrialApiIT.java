package dev.tellus.trial;

import dev.tellus.ApiExamples;
import dev.tellus.Http;
import dev.tellus.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The trial examples of API.md, over HTTP against a real PostgreSQL. */
class TrialApiIT extends IntegrationTest {

    static final String EXAMPLE_SPACE = ApiExamples.SPACE;

    private String study(String extra) {
        String name = unique("trials");
        Http.Response r = http().put("/api/v1/studies/" + name,
                "{" + EXAMPLE_SPACE + ", \"strategy\": {\"name\": \"random\", \"seed\": 7}" + extra + "}");
        assertThat(r.status()).isEqualTo(201);
        return "/api/v1/studies/" + name;
    }

    private JsonNode askOne(String study) {
        Http.Response r = http().post(study + "/trials/ask", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("trials").size()).isEqualTo(1);
        return r.body().get("trials").get(0);
    }

    @Test
    void askHandsOutRunningTrialsWithLeasesAndCount() {
        Http http = http();
        String study = study("");
        Http.Response empty = http.post(study + "/trials/ask", null);
        assertThat(empty.status()).isEqualTo(200);
        JsonNode first = empty.body().get("trials").get(0);
        assertThat(first.get("number").asLong()).isZero();
        assertThat(first.get("state").asString()).isEqualTo("RUNNING");
        assertThat(first.get("values").isNull()).isTrue();
        assertThat(first.get("reason").isNull()).isTrue();
        assertThat(first.get("intermediate").isArray()).isTrue();
        assertThat(first.get("attributes").isObject()).isTrue();
        Instant started = Instant.parse(first.get("startedAt").asString());
        assertThat(Instant.parse(first.get("leaseExpiresAt").asString())).isEqualTo(started.plusSeconds(600));
        assertThat(empty.body().get("done").asBoolean()).isFalse();
        assertThat(empty.body().has("retryAfterSeconds")).isFalse();

        JsonNode params = first.get("params");
        assertThat(params.propertyNames()).startsWith("lr", "layers", "dropout", "optimizer");
        assertThat(params.has("momentum")).isEqualTo(params.get("optimizer").asString().equals("sgd"));

        Http.Response three = http.post(study + "/trials/ask", "{\"worker\": \"node-3\", \"count\": 3}");
        assertThat(three.body().get("trials")).extracting(t -> t.get("number").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(three.body().get("trials")).allSatisfy(t -> assertThat(t.get("worker").asString()).isEqualTo("node-3"));

        assertThat(http.post(study + "/trials/ask", "{\"count\": 0}").status()).isEqualTo(400);
        assertThat(http.post(study + "/trials/ask", "{\"count\": 101}").status()).isEqualTo(400);
        assertThat(http.post(study + "/trials/ask", "{\"count\": \"2\"}").status()).isEqualTo(400);
        assertThat(http.post(study + "/trials/ask", "{\"workers\": \"x\"}").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/studies/" + unique("absent") + "/trials/ask", null).status()).isEqualTo(404);
        // The failed asks consumed no trial numbers.
        assertThat(askOne(study).get("number").asLong()).isEqualTo(4);
    }

    @Test
    void tellCompletesAndRetriesAreNoOpsWhileOtherOutcomesConflict() {
        Http http = http();
        String study = study("");
        long n = askOne(study).get("number").asLong();
        Http.Response told = http.post(study + "/trials/" + n + "/tell", "{\"value\": 0.123, \"attributes\": {\"epochs\": 12}}");
        assertThat(told.status()).isEqualTo(200);
        assertThat(told.body().get("state").asString()).isEqualTo("COMPLETED");
        assertThat(told.body().get("values").get(0).asDouble()).isEqualTo(0.123);
        assertThat(told.body().at("/attributes/epochs").asInt()).isEqualTo(12);
        assertThat(told.body().get("finishedAt").isNull()).isFalse();
        assertThat(told.body().get("leaseExpiresAt").isNull()).isTrue();

        Http.Response retry = http.post(study + "/trials/" + n + "/tell", "{\"value\": 0.123}");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().get("finishedAt")).isEqualTo(told.body().get("finishedAt"));

        Http.Response different = http.post(study + "/trials/" + n + "/tell", "{\"value\": 0.5}");
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.contentType()).startsWith("application/problem+json");
        assertThat(http.post(study + "/trials/" + n + "/tell", "{\"state\": \"FAILED\"}").status()).isEqualTo(409);
        assertThat(http.post(study + "/trials/99/tell", "{\"value\": 1}").status()).isEqualTo(404);
    }

    @Test
    void failedAndPrunedTellsAreRecorded() {
        Http http = http();
        String study = study("");
        long a = askOne(study).get("number").asLong();
        long b = askOne(study).get("number").asLong();
        JsonNode failed = http.post(study + "/trials/" + a + "/tell", "{\"state\": \"FAILED\", \"reason\": \"CUDA out of memory\"}").body();
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("reason").asString()).isEqualTo("CUDA out of memory");
        assertThat(http.post(study + "/trials/" + a + "/tell", "{\"state\": \"FAILED\", \"reason\": \"again\"}").status()).isEqualTo(200);
        JsonNode pruned = http.post(study + "/trials/" + b + "/tell", "{\"state\": \"PRUNED\"}").body();
        assertThat(pruned.get("state").asString()).isEqualTo("PRUNED");
        assertThat(http.post(study + "/trials/" + b + "/tell", "{\"value\": 1.0}").status()).isEqualTo(409);
    }

    @Test
    void nonFiniteValuesEndTheTrialFailedAsPythonWritesThem() {
        Http http = http();
        String study = study("");
        for (String value : List.of("NaN", "Infinity", "-Infinity", "1e999999")) {
            long n = askOne(study).get("number").asLong();
            Http.Response r = http.post(study + "/trials/" + n + "/tell", "{\"value\": " + value + "}");
            assertThat(r.status()).as(value).isEqualTo(200);
            assertThat(r.body().get("state").asString()).isEqualTo("FAILED");
            assertThat(r.body().get("reason").asString()).isEqualTo("non-finite objective value");
            assertThat(r.body().get("values").isNull()).isTrue();
            // Telling the same again is a no-op.
            assertThat(http.post(study + "/trials/" + n + "/tell", "{\"value\": " + value + "}").status()).isEqualTo(200);
        }
    }

    @Test
    void aValueThatIsNotANumberIs400AndChangesNothing() {
        Http http = http();
        String study = study("");
        long n = askOne(study).get("number").asLong();
        Map<String, String> bodies = Map.of(
                "{\"value\": \"0.5\"}", "value",
                "{\"value\": null}", "value",
                "{}", "value",
                "{\"values\": [0.1, 0.2]}", "values",
                "{\"value\": 0.1, \"state\": \"FAILED\"}", "value",
                "{\"state\": \"RUNNING\"}", "state",
                "{\"valeu\": 0.1}", "valeu");
        bodies.forEach((body, field) -> {
            Http.Response r = http.post(study + "/trials/" + n + "/tell", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.body().at("/errors/0/field").asString()).as(body).isEqualTo(field);
        });
        assertThat(http.get(study + "/trials/" + n).body().get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void severalObjectivesTakeValuesInOrderAndBestIsTheParetoFront() {
        Http http = http();
        String study = study(", \"objectives\": [{\"name\": \"loss\", \"direction\": \"minimize\"}, {\"name\": \"acc\", \"direction\": \"maximize\"}]");
        double[][] results = {{0.5, 0.9}, {0.3, 0.7}, {0.6, 0.8}, {0.3, 0.95}};
        for (double[] r : results) {
            long n = askOne(study).get("number").asLong();
            assertThat(http.post(study + "/trials/" + n + "/tell", "{\"values\": [" + r[0] + ", " + r[1] + "]}").status()).isEqualTo(200);
        }
        long n = askOne(study).get("number").asLong();
        assertThat(http.post(study + "/trials/" + n + "/tell", "{\"value\": 0.1}").status()).isEqualTo(400);
        assertThat(http.post(study + "/trials/" + n + "/tell", "{\"values\": [0.1]}").status()).isEqualTo(400);
        assertThat(http.post(study + "/trials/" + n + "/tell", "{\"values\": [0.1, null]}").body().at("/errors/0/field").asString())
                .isEqualTo("values[1]");
        // (0.3, 0.95) dominates (0.3, 0.7) and (0.5, 0.9) and (0.6, 0.8).
        JsonNode best = http.get(study + "/best").body().get("trials");
        assertThat(best).extracting(t -> t.get("number").asLong()).containsExactly(3L);
        assertThat(http.get(study).body().get("best").isNull()).isTrue();
    }

    @Test
    void heartbeatRenewsTheLeaseUntilTheTrialEnds() throws Exception {
        Http http = http();
        String study = study(", \"leaseSeconds\": 60");
        JsonNode trial = askOne(study);
        long n = trial.get("number").asLong();
        Thread.sleep(20);
        Http.Response beat = http.post(study + "/trials/" + n + "/heartbeat", null);
        assertThat(beat.status()).isEqualTo(200);
        assertThat(Instant.parse(beat.body().get("leaseExpiresAt").asString()))
                .isAfter(Instant.parse(trial.get("leaseExpiresAt").asString()));
        http.post(study + "/trials/" + n + "/tell", "{\"value\": 1}");
        Http.Response late = http.post(study + "/trials/" + n + "/heartbeat", null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body().get("type").asString()).endsWith("/trial-not-running");
    }

    @Test
    void heartbeatAndReportFollowAStudyRecreatedUnderTheSameName() {
        Http http = http();
        String study = study(", \"leaseSeconds\": 60");
        askOne(study);
        // Warm this replica's fast path for the name, then replace the study behind it.
        assertThat(http.post(study + "/trials/0/heartbeat", null).status()).isEqualTo(200);
        assertThat(http.delete(study).status()).isEqualTo(204);
        assertThat(http.post(study + "/trials/0/heartbeat", null).status()).isEqualTo(404);
        http.put(study, "{" + EXAMPLE_SPACE + ", \"strategy\": {\"name\": \"random\"}, \"leaseSeconds\": 30}");
        JsonNode fresh = askOne(study);
        Http.Response beat = http.post(study + "/trials/0/heartbeat", null);
        assertThat(beat.status()).isEqualTo(200);
        assertThat(Instant.parse(beat.body().get("leaseExpiresAt").asString()))
                .isBefore(Instant.parse(fresh.get("startedAt").asString()).plusSeconds(45));
        assertThat(http.post(study + "/trials/0/report", "{\"step\": 1, \"value\": 0.5}").status()).isEqualTo(200);
        http.post(study + "/trials/0/tell", "{\"value\": 1}");
        assertThat(http.post(study + "/trials/0/heartbeat", null).status()).isEqualTo(409);
        assertThat(http.post(study + "/trials/0/report", "{\"step\": 2, \"value\": 0.4}").status()).isEqualTo(409);
    }

    @Test
    void reportStoresIntermediateValuesAndRenewsTheLease() {
        Http http = http();
        String study = study("");
        long n = askOne(study).get("number").asLong();
        Http.Response r = http.post(study + "/trials/" + n + "/report", "{\"step\": 1, \"value\": 0.9}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("prune").asBoolean()).isFalse();
        assertThat(r.body().get("leaseExpiresAt").asString()).isNotBlank();
        http.post(study + "/trials/" + n + "/report", "{\"step\": 3, \"value\": 0.51}");
        assertThat(http.post(study + "/trials/" + n + "/report", "{\"step\": 3, \"value\": 0.51}").status()).isEqualTo(200);
        assertThat(http.post(study + "/trials/" + n + "/report", "{\"step\": 3, \"value\": 0.7}").status()).isEqualTo(409);
        assertThat(http.post(study + "/trials/" + n + "/report", "{\"step\": 4}").status()).isEqualTo(400);
        JsonNode trial = http.get(study + "/trials/" + n).body();
        assertThat(trial.get("intermediate")).extracting(i -> i.get("step").asLong() + ":" + i.get("value").asDouble())
                .containsExactly("1:0.9", "3:0.51");
    }

    @Test
    void enqueuedTrialsGoOutFirstAndImportsAreLearnedFrom() {
        Http http = http();
        String study = study("");
        Http.Response enqueued = http.post(study + "/trials",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"adam\"}}");
        assertThat(enqueued.status()).isEqualTo(201);
        assertThat(enqueued.header("Location")).endsWith("/trials/0");
        assertThat(enqueued.body().get("state").asString()).isEqualTo("WAITING");
        assertThat(http.post(study + "/trials/0/tell", "{\"value\": 1}").status()).isEqualTo(409);

        Http.Response imported = http.post(study + "/trials",
                "{\"params\": {\"lr\": 0.01, \"layers\": 2, \"dropout\": 0.2, \"optimizer\": \"sgd\", \"momentum\": 0.9}, \"value\": 0.2}");
        assertThat(imported.status()).isEqualTo(201);
        assertThat(imported.body().get("state").asString()).isEqualTo("COMPLETED");
        assertThat(imported.body().get("values").get(0).asDouble()).isEqualTo(0.2);

        JsonNode handed = askOne(study);
        assertThat(handed.get("number").asLong()).isZero();
        assertThat(handed.get("state").asString()).isEqualTo("RUNNING");
        assertThat(handed.at("/params/lr").asDouble()).isEqualTo(0.001);
        assertThat(askOne(study).get("number").asLong()).isEqualTo(2);
        assertThat(http.get(study + "/best").body().at("/trials/0/number").asLong()).isEqualTo(1);
    }

    @Test
    void enqueuedParamsAreValidatedAgainstTheSpace() {
        Http http = http();
        String study = study("");
        Map<String, String> bad = Map.of(
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"adam\", \"depth\": 3}}", "params.depth",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1}}", "params.optimizer",
                "{\"params\": {\"lr\": 5.0, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"adam\"}}", "params.lr",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.12, \"optimizer\": \"adam\"}}", "params.dropout",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4.5, \"dropout\": 0.1, \"optimizer\": \"adam\"}}", "params.layers",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"adam\", \"momentum\": 0.9}}", "params.momentum",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"rmsprop\"}}", "params.optimizer",
                "{\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"adam\"}, \"value\": NaN}", "value");
        bad.forEach((body, field) -> {
            Http.Response r = http.post(study + "/trials", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.body().get("errors")).as(body).extracting(e -> e.get("field").asString()).contains(field);
        });
        assertThat(http.get(study).body().at("/counts/WAITING").asInt()).isZero();
    }

    @Test
    void trialsArePagedByNumberFilteredByStateAndExportedAsCsv() {
        Http http = http();
        String study = study("");
        for (int i = 0; i < 7; i++) {
            long n = askOne(study).get("number").asLong();
            if (i % 2 == 0) {
                http.post(study + "/trials/" + n + "/tell", "{\"value\": " + (i / 10.0) + "}");
            }
        }
        var numbers = new ArrayList<Long>();
        String after = "";
        while (after != null) {
            JsonNode page = http.get(study + "/trials?limit=3" + after).body();
            page.get("trials").forEach(t -> numbers.add(t.get("number").asLong()));
            after = page.get("next").isNull() ? null : "&after=" + page.get("next").asLong();
        }
        assertThat(numbers).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        JsonNode completed = http.get(study + "/trials?state=COMPLETED").body();
        assertThat(completed.get("trials")).extracting(t -> t.get("number").asLong()).containsExactly(0L, 2L, 4L, 6L);
        assertThat(completed.get("next").isNull()).isTrue();
        assertThat(http.get(study + "/trials?state=DONE").status()).isEqualTo(400);
        assertThat(http.get(study + "/trials?limit=5000").status()).isEqualTo(400);

        Http.Response csv = http.get(study + "/trials?state=COMPLETED", Map.of("Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("number,state,lr,layers,dropout,optimizer,momentum,value,worker,createdAt,startedAt,finishedAt,reason");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).startsWith("2,COMPLETED,");
        assertThat(lines.get(2).split(",")[7]).isEqualTo("0.2");

        Http.Response page = http.get(study + "/trials?limit=2", Map.of("Accept", "text/csv"));
        assertThat(page.text().lines()).hasSize(3);
        assertThat(page.header("Link")).contains("after=1").contains("rel=\"next\"");
    }

    @Test
    void bestFollowsTheDirection() {
        Http http = http();
        String min = study("");
        String max = study(", \"objectives\": [{\"name\": \"acc\", \"direction\": \"maximize\"}]");
        assertThat(http.get(min + "/best").body().get("trials").size()).isZero();
        for (double v : new double[] {0.4, 0.1, 0.7}) {
            http.post(min + "/trials/" + askOne(min).get("number").asLong() + "/tell", "{\"value\": " + v + "}");
            http.post(max + "/trials/" + askOne(max).get("number").asLong() + "/tell", "{\"value\": " + v + "}");
        }
        assertThat(http.get(min + "/best").body().at("/trials/0/values/0").asDouble()).isEqualTo(0.1);
        assertThat(http.get(max + "/best").body().at("/trials/0/values/0").asDouble()).isEqualTo(0.7);
        JsonNode summary = http.get(min).body();
        assertThat(summary.at("/best/number").asLong()).isEqualTo(1);
        assertThat(summary.at("/counts/COMPLETED").asInt()).isEqualTo(3);
    }

    @Test
    void theBudgetEndsTheStudyOnceNothingIsRunningAndFailuresDoNotCount() {
        Http http = http();
        String study = study(", \"maxTrials\": 2");
        long a = askOne(study).get("number").asLong();
        Http.Response two = http.post(study + "/trials/ask", "{\"count\": 5}");
        assertThat(two.body().get("trials").size()).isEqualTo(1);
        long b = two.body().at("/trials/0/number").asLong();

        Http.Response wait = http.post(study + "/trials/ask", null);
        assertThat(wait.body().get("trials").size()).isZero();
        assertThat(wait.body().get("done").asBoolean()).isFalse();
        assertThat(wait.body().get("retryAfterSeconds").asInt()).isPositive();
        assertThat(wait.header("Retry-After")).isNotNull();

        // A failure frees its place in the budget.
        http.post(study + "/trials/" + a + "/tell", "{\"state\": \"FAILED\"}");
        long c = askOne(study).get("number").asLong();
        http.post(study + "/trials/" + b + "/tell", "{\"value\": 1}");
        http.post(study + "/trials/" + c + "/tell", "{\"value\": 2}");

        Http.Response done = http.post(study + "/trials/ask", null);
        assertThat(done.body().get("trials").size()).isZero();
        assertThat(done.body().get("done").asBoolean()).isTrue();
        assertThat(http.get(study).body().get("state").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void pausedStudiesSayRetryAndCompletedOnesSayDone() {
        Http http = http();
        String study = study("");
        http.patch(study, "{\"state\": \"PAUSED\"}");
        JsonNode paused = http.post(study + "/trials/ask", null).body();
        assertThat(paused.get("trials").size()).isZero();
        assertThat(paused.get("done").asBoolean()).isFalse();
        assertThat(paused.get("retryAfterSeconds").asInt()).isPositive();
        http.patch(study, "{\"state\": \"COMPLETED\"}");
        JsonNode completed = http.post(study + "/trials/ask", null).body();
        assertThat(completed.get("done").asBoolean()).isTrue();
        assertThat(completed.has("retryAfterSeconds")).isFalse();
        // Nothing enqueued into a completed study would ever be handed out; a finished import is still welcome.
        String params = "\"params\": {\"lr\": 0.001, \"layers\": 4, \"dropout\": 0.1, \"optimizer\": \"adam\"}";
        Http.Response enqueue = http.post(study + "/trials", "{" + params + "}");
        assertThat(enqueue.status()).isEqualTo(409);
        assertThat(enqueue.body().get("type").asString()).endsWith("/study-completed");
        assertThat(http.post(study + "/trials", "{" + params + ", \"value\": 0.3}").status()).isEqualTo(201);
    }

    @Test
    void theSameSeedProposesTheSameSequenceInAnotherStudy() {
        assertSameSequence(study(""), study(""), 5);
    }

    @Test
    void aSeededTpeStudyFedTheSameResultsProposesTheSameSequence() {
        // Past TPE's random start-up, so the model-based proposals are compared too.
        String tpe = ", \"strategy\": {\"name\": \"tpe\", \"seed\": 11}";
        String a = "/api/v1/studies/" + unique("tpe");
        String b = "/api/v1/studies/" + unique("tpe");
        for (String s : List.of(a, b)) {
            assertThat(http().put(s, "{" + EXAMPLE_SPACE + tpe + "}").status()).isEqualTo(201);
        }
        assertSameSequence(a, b, 16);
    }

    private void assertSameSequence(String a, String b, int trials) {
        Http http = http();
        for (int i = 0; i < trials; i++) {
            JsonNode x = askOne(a);
            JsonNode y = askOne(b);
            assertThat(x.get("params")).as("trial %d", i).isEqualTo(y.get("params"));
            double value = x.at("/params/layers").asInt() + x.at("/params/dropout").asDouble();
            http.post(a + "/trials/" + x.get("number").asLong() + "/tell", "{\"value\": " + value + "}");
            http.post(b + "/trials/" + y.get("number").asLong() + "/tell", "{\"value\": " + value + "}");
        }
    }
}
