package dev.tellus.bench;

import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Direction;
import dev.tellus.strategy.History;
import dev.tellus.strategy.Observation;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.TrialStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality benchmark: runs strategies in-process (no server, no database) on named problems over several
 * seeds and prints a markdown table of median and interquartile simple regret, plus wall time per trial.
 *
 * <p>Run: {@code ./mvnw -Pbench test -Dbench.args="--strategies random,grid --seeds 10 --workers 1"}.
 * Options: {@code --strategies a,b} {@code --problems p,q} {@code --seeds N} {@code --trials N} (default: each
 * problem's own budget) {@code --workers W} (ask W, tell W: the parallel mode)
 * {@code --suite evo} (the 10D/5D problems of the evolutionary strategies; default: the standard set).
 */
public final class QualityBenchmark {

    /** The outcome of one strategy on one problem over all seeds. */
    public record Result(String strategy, String problem, int workers, int trials, double[] regrets, double msPerTrial) {

        public double median() {
            return quantile(regrets, 0.5);
        }

        public double q1() {
            return quantile(regrets, 0.25);
        }

        public double q3() {
            return quantile(regrets, 0.75);
        }
    }

    public static void main(String[] args) {
        Map<String, String> opts = parse(args);
        List<String> strategies = List.of(opts.getOrDefault("strategies", "random").split(","));
        Map<String, Problem> problems = Problems.suite(opts.getOrDefault("suite", "default"));
        List<String> names = opts.containsKey("problems") ? List.of(opts.get("problems").split(",")) : List.copyOf(problems.keySet());
        int seeds = Integer.parseInt(opts.getOrDefault("seeds", "10"));
        int workers = Integer.parseInt(opts.getOrDefault("workers", "1"));
        Integer trials = opts.containsKey("trials") ? Integer.parseInt(opts.get("trials")) : null;

        var results = new ArrayList<Result>();
        for (String problemName : names) {
            Problem problem = problems.get(problemName);
            if (problem == null) {
                throw new IllegalArgumentException("unknown problem " + problemName + "; known: " + problems.keySet());
            }
            for (String strategy : strategies) {
                Result r = run(strategy, Map.of(), problem, seeds, trials == null ? problem.defaultBudget() : trials, workers);
                results.add(r);
                System.err.printf("%s on %s: median regret %.4g%n", strategy, problemName, r.median());
            }
        }
        System.out.println(table(results));
    }

    /** Runs one strategy on one problem for seeds 0..seeds-1 and collects the final simple regret of each. */
    public static Result run(String strategyName, Map<String, Object> options, Problem problem, int seeds, int trials, int workers) {
        double[] regrets = new double[seeds];
        long nanos = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Strategy strategy = Strategies.create(strategyName, options, problem.space());
            long start = System.nanoTime();
            regrets[seed] = runOnce(strategy, problem, seed, trials, workers) - problem.optimum();
            nanos += System.nanoTime() - start;
        }
        return new Result(strategyName, problem.name(), workers, trials, regrets, nanos / 1e6 / ((double) seeds * trials));
    }

    /** One study: ask `workers` trials, evaluate them, tell them all, repeat; returns the best value seen. */
    static double runOnce(Strategy strategy, Problem problem, long seed, int trials, int workers) {
        var finished = new ArrayList<Observation>();
        StrategyState state = StrategyState.EMPTY;
        double best = Double.POSITIVE_INFINITY;
        long number = 0;
        while (number < trials) {
            int count = (int) Math.min(workers, trials - number);
            ProposalBatch batch = strategy.propose(new AskContext(problem.space(), List.of(Direction.MINIMIZE), seed,
                    number, count, state, History.of(finished, List.of())));
            state = batch.state();
            if (batch.proposals().isEmpty()) {
                break;
            }
            // The batch is asked as a whole before any result: later members see earlier ones as running.
            for (Proposal p : batch.proposals()) {
                double value = problem.evaluate(p.params());
                best = Math.min(best, value);
                finished.add(new Observation(number++, TrialStatus.COMPLETED, p.params(), new double[] {value}, p.tags()));
            }
        }
        return best;
    }

    public static String table(List<Result> results) {
        var sb = new StringBuilder();
        sb.append("| problem | strategy | workers | trials | median regret | IQR | ms/trial |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            sb.append(String.format("| %s | %s | %d | %d | %.4g | %.4g – %.4g | %.2f |%n",
                    r.problem(), r.strategy(), r.workers(), r.trials(), r.median(), r.q1(), r.q3(), r.msPerTrial()));
        }
        return sb.toString();
    }

    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static Map<String, String> parse(String[] args) {
        var out = new LinkedHashMap<String, String>();
        List<String> all = new ArrayList<>(Arrays.asList(args));
        String extra = System.getProperty("bench.args");
        if (extra != null && !extra.isBlank()) {
            all.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        for (int i = 0; i + 1 < all.size(); i += 2) {
            if (!all.get(i).startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + all.get(i));
            }
            out.put(all.get(i).substring(2), all.get(i + 1));
        }
        return out;
    }
}
