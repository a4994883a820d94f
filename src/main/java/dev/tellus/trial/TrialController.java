package dev.tellus.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tellus.auth.Caller;
import dev.tellus.history.TrialStatus;
import dev.tellus.project.RunningTrialQuota;
import dev.tellus.web.InvalidRequest;
import dev.tellus.web.Paging;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.util.List;

@RestController
@RequestMapping("/api/v1/studies/{name}")
class TrialController {

    static final int MAX_ASK = 100;
    static final int MAX_WORKER_LENGTH = 256;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 256;

    private final AskService asks;
    private final TellService tells;
    private final TrialReads reads;
    private final RunningTrialQuota runningTrials;

    TrialController(AskService asks, TellService tells, TrialReads reads, RunningTrialQuota runningTrials) {
        this.asks = asks;
        this.tells = tells;
        this.reads = reads;
        this.runningTrials = runningTrials;
    }

    /** Body of ask, optional: who asks and how many trials it wants (1..100). */
    record AskRequest(String worker, Integer count) {
    }

    /** Trials handed out; when empty, done says whether to stop or retry after retryAfterSeconds. */
    record AskResponse(List<TrialResponse> trials, boolean done,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Integer retryAfterSeconds) {
    }

    record StepValue(Long step, Double value) {
    }

    /** Whether to stop; reason says why the pruner was not asked (e.g. a multi-objective study), else absent. */
    record ReportResponse(boolean prune, Instant leaseExpiresAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    }

    record LeaseResponse(Instant leaseExpiresAt) {
    }

    record TrialList(List<TrialResponse> trials, Long next) {
    }
    /**
     * The best trial (one objective) or the Pareto front (several), among feasible trials; {@code feasible} is false
     * when the study declares constraints and no trial satisfies them yet: then these are the ones that violate least.
     */
    record BestTrials(List<TrialResponse> trials, boolean feasible) {
    }

    @PostMapping("/trials/ask")
    ResponseEntity<AskResponse> ask(Caller caller, @PathVariable String name, @RequestBody(required = false) AskRequest body,
                                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        int count = body == null || body.count() == null ? 1 : body.count();
        if (count < 1 || count > MAX_ASK) {
            throw new InvalidRequest("count", "must be between 1 and " + MAX_ASK);
        }
        String worker = body == null ? null : body.worker();
        if (worker != null && worker.length() > MAX_WORKER_LENGTH) {
            throw new InvalidRequest("worker", "must be at most " + MAX_WORKER_LENGTH + " characters");
        }
        String idempotencyKey = checkKey(key);
        runningTrials.reserve(caller.projectId(), count);
        int handedOut = 0;
        AskService.AskResult result;
        try {
            result = asks.ask(caller.projectId(), name, worker, count, idempotencyKey);
            handedOut = result.trials().size();
        } finally {
            runningTrials.release(caller.projectId(), count - handedOut);
        }
        var response = ResponseEntity.ok();
        if (result.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(result.retryAfterSeconds()));
        }
        return response.body(new AskResponse(result.trials(), result.done(), result.retryAfterSeconds()));
    }

    @PostMapping("/trials/{number}/tell")
    TrialResponse tell(Caller caller, @PathVariable String name, @PathVariable long number, @RequestBody TellRequest body,
                       @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return tells.tell(caller.projectId(), name, number, body, checkKey(key));
    }

    @PostMapping("/trials/{number}/heartbeat")
    LeaseResponse heartbeat(Caller caller, @PathVariable String name, @PathVariable long number) {
        return new LeaseResponse(tells.heartbeat(caller.projectId(), name, number));
    }

    @PostMapping("/trials/{number}/report")
    ReportResponse report(Caller caller, @PathVariable String name, @PathVariable long number, @RequestBody StepValue body) {
        if (body.step() == null) {
            throw new InvalidRequest("step", "is required: an integer >= 0");
        }
        if (body.value() == null) {
            throw new InvalidRequest("value", "is required: a number");
        }
        TellService.ReportResult result = tells.report(caller.projectId(), name, number, body.step(), body.value());
        return new ReportResponse(result.prune(), result.leaseExpiresAt(), result.reason());
    }

    @PostMapping("/trials")
    ResponseEntity<TrialResponse> enqueue(Caller caller, @PathVariable String name, @RequestBody EnqueueRequest body) {
        TrialResponse trial = asks.enqueue(caller.projectId(), name, body);
        return ResponseEntity.created(URI.create("/api/v1/studies/" + name + "/trials/" + trial.number())).body(trial);
    }

    @GetMapping(value = "/trials", produces = MediaType.APPLICATION_JSON_VALUE)
    TrialList list(Caller caller, @PathVariable String name, @RequestParam(required = false) TrialStatus state,
                   @RequestParam(required = false) Integer limit, @RequestParam(required = false) Long after) {
        TrialReads.Page page = reads.page(caller.projectId(), name, state, Paging.pageSize(limit), after == null ? -1 : after);
        return new TrialList(page.trials(), page.next());
    }

    /**
     * The same rows as CSV, one column per parameter and objective. Without a limit, every matching trial is
     * written (an export); with one, a page, and the next cursor is in the {@code Link} header.
     */
    @GetMapping(value = "/trials", produces = "text/csv")
    void csv(Caller caller, @PathVariable String name, @RequestParam(required = false) TrialStatus state,
             @RequestParam(required = false) Integer limit, @RequestParam(required = false) Long after,
             HttpServletResponse response) throws IOException {
        long cursor = after == null ? -1 : after;
        if (limit == null) {
            // An export: streamed page by page from one read-only transaction. The body is opened only once the
            // study is found, so a missing one is still answered as problem+json.
            reads.export(caller.projectId(), name, state, cursor, Paging.MAX_PAGE, () -> {
                response.setContentType("text/csv;charset=UTF-8");
                try {
                    return response.getWriter();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return;
        }
        TrialReads.Page page = reads.page(caller.projectId(), name, state, Paging.pageSize(limit), cursor);
        if (page.next() != null) {
            String next = "/api/v1/studies/" + name + "/trials?limit=" + limit + "&after=" + page.next()
                    + (state == null ? "" : "&state=" + state);
            response.setHeader(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        response.setContentType("text/csv;charset=UTF-8");
        PrintWriter out = response.getWriter();
        TrialCsv csv = new TrialCsv(page.definition());
        csv.header(out);
        csv.rows(out, page.trials());
        out.flush();
    }

    @GetMapping("/trials/{number}")
    TrialResponse get(Caller caller, @PathVariable String name, @PathVariable long number) {
        return reads.get(caller.projectId(), name, number);
    }

    @GetMapping("/best")
    BestTrials best(Caller caller, @PathVariable String name) {
        TrialReads.Best best = reads.best(caller.projectId(), name);
        return new BestTrials(best.trials(), best.feasible());
    }

    static String checkKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new InvalidRequest(IDEMPOTENCY_KEY, "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

}
