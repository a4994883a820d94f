package dev.tellus.bench;

import dev.tellus.strategy.AskContext;
import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;
import dev.tellus.history.TrialStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality benchmark: runs strategies in-process (no server, no database) on named problems over several
 * seeds and prints a markdown table of median and interquartile simple regret, plus wall time per trial.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test -Dbench.args="--strategies random,tpe,gp --seeds 10 --workers 1,4"}.
 * Options: {@code --strategies a,b} {@code --problems p,q} {@code --seeds N} {@code --trials N} (default: each
 * problem's own budget) {@code --first-seed N} (default 0) {@code --workers 1,4} (one table row per worker count)
 * {@code --parallel batch|async} (how W workers share the study, see {@link Study}; default batch, the issue's
 * "ask 4, tell 4"). {@code --out FILE} appends one JSON line per run (problem, strategy, workers, trials, seed, regret),
 * the shape bench/optuna_compare.py writes, for comparisons over seeds. {@code --cost tpe:1000,gp:300} instead measures the time of one ask deep into a study, on the
 * first problem named (see {@link #costTable}).
 */
public final class QualityBenchmark {

    /** The outcome of one strategy on one problem over all seeds. */
    public record Result(String strategy, String problem, int workers, int trials, double[] regrets, double msPerTrial) {

        /** The mean of log10 regret over the seeds (floored at 1e-12): less noisy than the median for comparing variants. */
        public double meanLog10() {
            return Arrays.stream(regrets).map(v -> Math.log10(Math.max(v, 1e-12))).average().orElse(Double.NaN);
        }

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
        for (String problemName : names) {
            if (!problems.containsKey(problemName)) {
                throw new IllegalArgumentException("unknown problem " + problemName + "; known: " + problems.keySet());
            }
        }
        if (opts.containsKey("cost")) {
            System.out.println(costTable(strategies, problems.get(names.get(0)), opts.get("cost")));
            return;
        }
        int seeds = Integer.parseInt(opts.getOrDefault("seeds", "10"));
        firstSeed = Integer.parseInt(opts.getOrDefault("first-seed", "0"));
        asynchronous = switch (opts.getOrDefault("parallel", "batch")) {
            case "batch" -> false;
            case "async" -> true;
            default -> throw new IllegalArgumentException("--parallel is batch or async");
        };
        List<Integer> workerCounts = Arrays.stream(opts.getOrDefault("workers", "1").split(",")).map(Integer::valueOf).toList();
        Integer trials = opts.containsKey("trials") ? Integer.parseInt(opts.get("trials")) : null;
        out = opts.get("out");

        var results = new ArrayList<Result>();
        for (String problemName : names) {
            Problem problem = problems.get(problemName);
            for (int workers : workerCounts) {
                for (String strategy : strategies) {
                    Result r = run(strategy, problem, seeds, trials == null ? problem.defaultBudget() : trials, workers);
                    results.add(r);
                    System.err.printf("%s on %s, " + workersLabel(workers) + ": median regret %.4g, mean log10 %.3f (%.1f ms/trial)%n",
                            strategy, problemName, r.median(), r.meanLog10(), r.msPerTrial());
                }
            }
        }
        System.out.println(table(results));
    }

    /** Runs one strategy on one problem for seeds 0..seeds-1 and collects the final simple regret of each. */
    public static Result run(String strategyName, Problem problem, int seeds, int trials, int workers) {
        double[] regrets = new double[seeds];
        long nanos = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Strategy strategy = create(strategyName, problem);
            long start = System.nanoTime();
            regrets[seed] = new Study(strategy, problem, firstSeed + seed).run(trials, workers) - problem.optimum();
            nanos += System.nanoTime() - start;
            if (out != null) {
                append(String.format(java.util.Locale.ROOT,
                        "{\"problem\": \"%s\", \"sampler\": \"%s\", \"workers\": %d, \"mode\": \"%s\", \"trials\": %d, \"seed\": %d, \"regret\": %.17g}%n",
                        problem.name(), strategyName, workers, asynchronous ? "async" : "batch", trials, firstSeed + seed,
                        regrets[seed]));
            }
        }
        return new Result(strategyName, problem.name(), workers, trials, regrets, nanos / 1e6 / ((double) seeds * trials));
    }

    /** "1 worker(s)", or "4 worker(s) batch" / "4 worker(s) async". */
    static String workersLabel(int workers) {
        return workers + " worker(s)" + (workers > 1 ? (asynchronous ? " async" : " batch") : "");
    }

    /**
     * One in-process study. With W workers it behaves like W machines sharing the study, in one of two ways. Batch
     * (the default, the "ask 4, tell 4"): W asks, each seeing the earlier ones as running (in
     * {@link History#pending()}), then all W results, oldest first. Asynchronous ({@code --parallel async}): each
     * worker asks while the other W-1 trials are still running, results come back oldest first, and after the first
     * W asks every ask follows one tell — so every ask lacks W-1 results, against 1.5 on average in batch mode. With
     * one worker both are plain ask, tell.
     */
    static final class Study {
        final Strategy strategy;
        final Problem problem;
        final long seed;
        final List<Observation> finished = new ArrayList<>();
        final ArrayDeque<Observation> running = new ArrayDeque<>();
        StrategyState state = StrategyState.EMPTY;
        long number;
        double best = Double.POSITIVE_INFINITY;

        Study(Strategy strategy, Problem problem, long seed) {
            this.strategy = strategy;
            this.problem = problem;
            this.seed = seed;
        }

        /** Runs until `trials` trials have been asked and told; returns the best value seen. */
        double run(int trials, int workers) {
            while (number < trials) {
                while (running.size() < workers && number < trials) {
                    if (!ask()) {
                        return finishAll();
                    }
                }
                tellOldest();
                while (!asynchronous && !running.isEmpty()) {
                    tellOldest();
                }
            }
            return finishAll();
        }

        /** Asks for one trial with the running ones pending; false when the strategy has nothing more to give. */
        boolean ask() {
            ProposalBatch batch = strategy.propose(new AskContext(problem.space(), List.of(Direction.MINIMIZE), seed,
                    number, 1, state, History.of(finished, List.copyOf(running))));
            state = batch.state();
            if (batch.proposals().isEmpty()) {
                return false;
            }
            Proposal p = batch.proposals().get(0);
            running.add(new Observation(number++, TrialStatus.RUNNING, p.params(), null, p.tags()));
            return true;
        }

        void tellOldest() {
            Observation o = running.poll();
            if (o == null) {
                return;
            }
            double value = problem.evaluate(o.params());
            best = Math.min(best, value);
            finished.add(new Observation(o.number(), TrialStatus.COMPLETED, o.params(), new double[] {value}, o.tags()));
        }

        double finishAll() {
            while (!running.isEmpty()) {
                tellOldest();
            }
            return best;
        }
    }

    /**
     * The cost of one ask deep into a study: each strategy runs sequentially for its history size (given as
     * {@code name:trials,...}, e.g. {@code tpe:1000,gp:300}; a bare number applies to all), then the next
     * {@value #COST_ASKS} asks are timed one by one. Prints the median and the slowest wall time, and the median CPU
 * time of the asking thread (which, unlike wall time, does not grow when other processes share the machine).
     */
    static String costTable(List<String> strategies, Problem problem, String spec) {
        var sizes = new LinkedHashMap<String, Integer>();
        int fallback = 1000;
        for (String part : spec.split(",")) {
            String[] kv = part.split(":");
            if (kv.length == 1) {
                fallback = Integer.parseInt(kv[0]);
            } else {
                sizes.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        var sb = new StringBuilder();
        sb.append("| strategy | problem | trials in history | median ms/ask | max ms/ask | median CPU ms/ask |\n|---|---|---|---|---|---|\n");
        for (String name : strategies) {
            int n = sizes.getOrDefault(name, fallback);
            var study = new Study(create(name, problem), problem, 0);
            study.run(n, 1);
            double[] ms = new double[COST_ASKS];
            double[] cpu = new double[COST_ASKS];
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < COST_ASKS; i++) {
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                study.ask();
                cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
                ms[i] = (System.nanoTime() - start) / 1e6;
                study.tellOldest();
            }
            sb.append(String.format("| %s | %s | %d | %.2f | %.2f | %.2f |%n", name, problem.name(), n, quantile(ms, 0.5),
                    Arrays.stream(ms).max().orElse(0), quantile(cpu, 0.5)));
            System.err.printf("cost of %s at %d trials measured%n", name, n);
        }
        return sb.toString();
    }

    static final int COST_ASKS = 20;

    /** Seeds run are first-seed .. first-seed + seeds - 1 (default 0): other seeds check that tuning generalises. */
    static int firstSeed;
    static boolean asynchronous;
    /** Where --out appends one JSON line per run, or null. */
    static String out;

    private static void append(String line) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(out), line, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A strategy by name, with options after colons for tuning runs: {@code tpe:multivariate=false:candidates=48}. */
    static Strategy create(String spec, Problem problem) {
        String[] parts = spec.split(":");
        var options = new LinkedHashMap<String, Object>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            Object value = switch (kv[1]) {
                case "true", "false" -> Boolean.valueOf(kv[1]);
                default -> kv[1].matches("-?\\d+") ? (Object) Long.valueOf(kv[1])
                        : kv[1].matches("-?[\\d.]+([eE]-?\\d+)?") ? (Object) Double.valueOf(kv[1]) : kv[1];
            };
            options.put(kv[0], value);
        }
        return Strategies.create(parts[0], options, problem.space());
    }

    public static String table(List<Result> results) {
        var sb = new StringBuilder();
        boolean parallel = results.stream().anyMatch(r -> r.workers() > 1);
        sb.append("| problem | strategy | workers" + (parallel ? (asynchronous ? " (async)" : " (batch)") : "")
                + " | trials | median regret | IQR | ms/trial |\n");
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
