package dev.tellus.dashboard;

import dev.tellus.analysis.Downsampling;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyNotFound;
import dev.tellus.study.StudyRequest;
import dev.tellus.study.TrialSummaries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * Before Tellus reports ready, runs the study page's reads once against no study: the study lookup, the best-trial
 * reads, the packed read of finished trials, parsing a definition, and the JSON of each summary. In a new JVM the first query of each
 * kind pays for its translation (Hibernate) and the first answer of each shape for class loading; measured, that
 * was 0.5–1 s of the first view after a restart. It reads no row of any study and caches nothing of one: the first
 * view still reads the study's trials and computes every summary. Off with {@code tellus.dashboard.warm-up=false}.
 */
@Component
@ConditionalOnProperty(name = "tellus.dashboard.warm-up", havingValue = "true", matchIfMissing = true)
class DashboardWarmUp implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DashboardWarmUp.class);

    private final StudyLookup lookup;
    private final StudySnapshots snapshots;
    private final TrialSummaries trialSummaries;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    DashboardWarmUp(StudyLookup lookup, StudySnapshots snapshots, TrialSummaries trialSummaries,
                    PlatformTransactionManager transactions, JsonMapper json) {
        this.lookup = lookup;
        this.snapshots = snapshots;
        this.trialSummaries = trialSummaries;
        this.transactions = new TransactionTemplate(transactions);
        this.transactions.setReadOnly(true);
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) {
        long t = System.nanoTime();
        try {
            transactions.executeWithoutResult(status -> {
                status.setRollbackOnly();
                try {
                    lookup.find(-1L, "tellus-warm-up");
                } catch (StudyNotFound expected) {
                    // no study: only the query ran
                }
                trialSummaries.warmUp();
                snapshots.warmUp();
            });
            // A study's definition as the lookup parses it (every kind of parameter, a condition).
            StudyDefinition definition = StudyDefinition.from(json.readValue("""
                    {"space": {"x": {"type": "float", "low": 1e-5, "high": 0.1, "log": true},
                               "n": {"type": "int", "low": 1, "high": 8},
                               "c": {"type": "categorical", "choices": ["a", "b"]},
                               "m": {"type": "float", "low": 0.5, "high": 0.99, "when": {"c": ["b"]}}},
                     "objectives": [{"name": "loss", "direction": "minimize"}]}""", StudyRequest.class));
            definition.canonical();
            StudyAnalysis.parameters(definition);
            Downsampling.history(new double[]{3, 1, 2}, 2);
            Downsampling.bestAndSample(new double[]{3, 1, 2}, 1, 2);
            json.writeValueAsString(new Summaries.History("loss", "minimize", 1, 1, false, List.of(0L), List.of(1.0),
                    List.of(), 0, List.of(), 0));
            json.writeValueAsString(new Summaries.Points(List.of(new Summaries.ObjectiveView("loss", "minimize")),
                    List.of(Map.of("name", "x")), 1, 1, false, 1, List.of(0L), Map.of("x", List.of(1.0)),
                    List.of(List.of(1.0)), List.of(true)));
            json.writeValueAsString(new Summaries.TrialRows(0, 0, 50, List.of()));
            json.readValue("{\"x\": 1.5, \"c\": \"a\"}", Map.class);
        } catch (RuntimeException e) {
            // A warm-up never stops the service: the first view is then slower, nothing else.
            log.warn("dashboard warm-up failed: {}", e.toString());
        }
        log.info("dashboard warm-up took {} ms", (System.nanoTime() - t) / 1_000_000);
    }
}
