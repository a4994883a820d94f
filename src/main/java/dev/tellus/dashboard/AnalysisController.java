package dev.tellus.dashboard;

import dev.tellus.analysis.ParameterImportance;
import dev.tellus.auth.Caller;
import dev.tellus.history.TrialStatus;
import dev.tellus.study.StudyState;
import dev.tellus.web.InvalidRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Parameter importance and the summaries the dashboard draws. Every summary says whether it was downsampled
 * ({@code total}, {@code shown}, {@code downsampled}), so a chart can say so too.
 */
@RestController
@RequestMapping("/api/v1")
class AnalysisController {

    private final StudyAnalysis analysis;
    private final TrialTable table;
    private final StudyListing listing;
    private final JsonMapper json;

    AnalysisController(StudyAnalysis analysis, TrialTable table, StudyListing listing, JsonMapper json) {
        this.analysis = analysis;
        this.table = table;
        this.listing = listing;
        this.json = json;
    }

    /**
     * Each parameter's share of the objective's variance (sums to 1), estimated when the study had {@code completed}
     * completed trials; {@code current} is false for an earlier estimate answered with {@code stale=true}.
     */
    record ImportanceResponse(String method, String objective, int trials, long completed, boolean current,
                              Map<String, Double> importance) {
    }

    @GetMapping("/studies/{name}/importance")
    ImportanceResponse importance(Caller caller, @PathVariable String name, @RequestParam(required = false) String objective,
                                  @RequestParam(required = false, defaultValue = "false") boolean stale) {
        StudyAnalysis.Importance result = analysis.importance(caller.projectId(), name, objective, stale);
        ParameterImportance.Estimate estimate = result.estimate();
        return new ImportanceResponse(estimate.method(), result.objective(), estimate.trials(), result.completed(),
                result.current(), estimate.importance());
    }

    @GetMapping("/studies/{name}/summary/overview")
    Summaries.Overview overview(Caller caller, @PathVariable String name,
                                @RequestParam(required = false, defaultValue = "true") boolean history) {
        return analysis.overview(caller.projectId(), name, history);
    }

    @GetMapping("/studies/{name}/summary/history")
    Summaries.History history(Caller caller, @PathVariable String name, @RequestParam(required = false) String objective,
                              @RequestParam(required = false) Integer limit) {
        return analysis.history(caller.projectId(), name, objective, bounded("limit", limit, StudyAnalysis.HISTORY_POINTS, 100, 20_000));
    }

    @GetMapping("/studies/{name}/summary/points")
    Summaries.Points points(Caller caller, @PathVariable String name, @RequestParam(required = false) Integer limit) {
        return analysis.points(caller.projectId(), name, bounded("limit", limit, StudyAnalysis.CLOUD_POINTS, 100, 10_000));
    }

    @GetMapping("/studies/{name}/summary/intermediate")
    Summaries.Intermediate intermediate(Caller caller, @PathVariable String name, @RequestParam(required = false) Integer limit) {
        return analysis.intermediate(caller.projectId(), name, bounded("limit", limit, StudyAnalysis.CURVES, 1, 500));
    }

    @GetMapping("/studies/{name}/summary/trials")
    Summaries.TrialRows trials(Caller caller, @PathVariable String name, @RequestParam(required = false) TrialStatus state,
                               @RequestParam(required = false) String filter,
                               @RequestParam(required = false) String sort,
                               @RequestParam(required = false) String order,
                               @RequestParam(required = false) Integer offset,
                               @RequestParam(required = false) Integer limit) {
        boolean descending = descending(order);
        return table.page(caller.projectId(), name, state, filter(filter), new TrialTable.Sort(sort, descending),
                bounded("offset", offset, 0, 0, Integer.MAX_VALUE), bounded("limit", limit, 50, 1, TrialTable.MAX_ROWS));
    }

    /** Every trial the table's state filter and brushed ranges match, in its order, as CSV (the page's download). */
    @GetMapping(value = "/studies/{name}/summary/trials", produces = "text/csv")
    void trialsCsv(Caller caller, @PathVariable String name, @RequestParam(required = false) TrialStatus state,
                   @RequestParam(required = false) String filter,
                   @RequestParam(required = false) String sort,
                   @RequestParam(required = false) String order,
                   HttpServletResponse response) {
        table.csv(caller.projectId(), name, state, filter(filter), new TrialTable.Sort(sort, descending(order)), () -> {
            response.setContentType("text/csv;charset=UTF-8");
            try {
                return response.getWriter();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private TrialFilter filter(String filter) {
        if (filter == null || filter.isBlank()) {
            return TrialFilter.NONE;
        }
        try {
            return json.readValue(filter, TrialFilter.class);
        } catch (JacksonException e) {
            throw new InvalidRequest("filter", "must be JSON like {\"params\": {\"lr\": [0.001, 0.01], "
                    + "\"optimizer\": [\"adam\"]}, \"values\": {\"loss\": [0, 0.5]}}");
        }
    }

    @GetMapping("/summary/studies")
    Summaries.StudyRows studies(Caller caller, @RequestParam(required = false) String name,
                                @RequestParam(required = false) StudyState state,
                                @RequestParam(required = false) Integer offset,
                                @RequestParam(required = false) Integer limit) {
        return listing.page(caller.projectId(), name, state, bounded("offset", offset, 0, 0, Integer.MAX_VALUE),
                bounded("limit", limit, 50, 1, StudyListing.MAX_ROWS));
    }

    private static boolean descending(String order) {
        if (order == null || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw new InvalidRequest("order", "must be asc or desc");
    }

    private static int bounded(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new InvalidRequest(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
