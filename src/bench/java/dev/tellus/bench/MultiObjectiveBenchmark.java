package dev.tellus.bench;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.support.Pareto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The multi-objective quality benchmark: strategies in-process on ZDT1, ZDT2 (6 variables), DTLZ2 (3 objectives,
 * 6 variables) and Binh–Korn (2 constraints), 150 trials, several seeds; the score of a run is the hypervolume of
 * its feasible non-dominated points against the problem's reference point (higher is better). Prints a markdown
 * table of the median and interquartile hypervolume, the mean wall time per trial, the median CPU time of the
 * asks of the last 10 trials (the cost of an ask deep into the study, not inflated by a busy machine) and their wall
 * time (median over seeds of each run's median, and the largest).
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test -Dbench.main=dev.tellus.bench.MultiObjectiveBenchmark
 * -Dbench.args="--strategies random,tpe,gp,nsga2 --seeds 10 --workers 1,4"}. Options as {@link QualityBenchmark}'s:
 * {@code --strategies}, {@code --problems}, {@code --seeds}, {@code --first-seed}, {@code --trials} (default 150),
 * {@code --workers} (W workers ask W trials, each seeing the others running, then tell all W: "ask 4, tell 4"),
 * {@code --dump FILE} (append one JSON line per run with every trial's parameters, objectives and constraints),
 * {@code --reference data} (the strategies are not told the reference point; by default they are, as a study that
 * declares {@code objectives[i].reference} tells them).
 * {@code bench/optuna_multi.py} runs Optuna 5's samplers on the same problems.
 */
public final class MultiObjectiveBenchmark {

    /** A problem: its space, the objectives and constraints of a point (all minimised), and the reference point. */
    record MultiProblem(String name, SearchSpace space, Function<double[], double[][]> evaluate, double[] reference) {
    }

    static SearchSpace unitCube(int n) {
        var ps = new ArrayList<Parameter>();
        for (int i = 0; i < n; i++) {
            ps.add(new FloatParameter("x" + i, 0, 1, false, null, Condition.ALWAYS));
        }
        return SearchSpace.of(ps.toArray(Parameter[]::new));
    }

    static Map<String, MultiProblem> problems() {
        var out = new LinkedHashMap<String, MultiProblem>();
        out.put("zdt1", new MultiProblem("zdt1", unitCube(6), x -> {
            double g = 1 + 9 * (Arrays.stream(x).sum() - x[0]) / (x.length - 1);
            return new double[][] {{x[0], g * (1 - Math.sqrt(x[0] / g))}, {}};
        }, new double[] {1.1, 11}));
        out.put("zdt2", new MultiProblem("zdt2", unitCube(6), x -> {
            double g = 1 + 9 * (Arrays.stream(x).sum() - x[0]) / (x.length - 1);
            return new double[][] {{x[0], g * (1 - Math.pow(x[0] / g, 2))}, {}};
        }, new double[] {1.1, 11}));
        out.put("dtlz2", new MultiProblem("dtlz2", unitCube(6), x -> {
            int m = 3;
            double g = 0;
            for (int i = m - 1; i < x.length; i++) {
                g += (x[i] - 0.5) * (x[i] - 0.5);
            }
            double[] f = new double[m];
            for (int i = 0; i < m; i++) {
                double v = 1 + g;
                for (int j = 0; j < m - 1 - i; j++) {
                    v *= Math.cos(x[j] * Math.PI / 2);
                }
                if (i > 0) {
                    v *= Math.sin(x[m - 1 - i] * Math.PI / 2);
                }
                f[i] = v;
            }
            return new double[][] {f, {}};
        }, new double[] {2.2, 2.2, 2.2}));
        out.put("binh-korn", new MultiProblem("binh-korn", SearchSpace.of(
                new FloatParameter("x0", 0, 5, false, null, Condition.ALWAYS),
                new FloatParameter("x1", 0, 3, false, null, Condition.ALWAYS)), x -> {
            double a = x[0];
            double b = x[1];
            return new double[][] {
                    {4 * a * a + 4 * b * b, (a - 5) * (a - 5) + (b - 5) * (b - 5)},
                    {(a - 5) * (a - 5) + b * b - 25, 7.7 - (a - 8) * (a - 8) - (b + 3) * (b + 3)}};
        }, new double[] {140, 50}));
        return out;
    }

    public static void main(String[] args) {
        Map<String, String> opts = QualityBenchmark.parse(args);
        List<String> strategies = List.of(opts.getOrDefault("strategies", "random,tpe,gp,nsga2").split(","));
        Map<String, MultiProblem> all = problems();
        List<String> names = opts.containsKey("problems") ? List.of(opts.get("problems").split(",")) : List.copyOf(all.keySet());
        int seeds = Integer.parseInt(opts.getOrDefault("seeds", "10"));
        int firstSeed = Integer.parseInt(opts.getOrDefault("first-seed", "0"));
        int trials = Integer.parseInt(opts.getOrDefault("trials", "150"));
        List<Integer> workerCounts = Arrays.stream(opts.getOrDefault("workers", "1").split(",")).map(Integer::valueOf).toList();
        String dump = opts.get("dump");
        // --reference data: the strategies are not told the problem's reference point (gp's EHVI then derives its own).
        boolean declared = !"data".equals(opts.getOrDefault("reference", "declared"));
        var rows = new StringBuilder("| problem | strategy | workers | trials | median hypervolume | IQR | ms/trial | late ask CPU ms | late ask wall ms (median / max) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (String name : names) {
            MultiProblem problem = all.get(name);
            if (problem == null) {
                throw new IllegalArgumentException("unknown problem " + name + "; known: " + all.keySet());
            }
            for (int workers : workerCounts) {
                for (String strategy : strategies) {
                    double[] hv = new double[seeds];
                    double[] lateAsk = new double[seeds];
                    double[] lateWall = new double[seeds];
                    double lateWallMax = 0;
                    long nanos = 0;
                    for (int s = 0; s < seeds; s++) {
                        Strategy st = QualityBenchmark.create(strategy, new Problem(name, problem.space(), p -> 0, 0, trials));
                        long start = System.nanoTime();
                        var run = new Run(st, problem, firstSeed + s, declared);
                        hv[s] = run.run(trials, workers);
                        if (dump != null) {
                            run.dump(java.nio.file.Path.of(dump), strategy, workers);
                        }
                        lateAsk[s] = QualityBenchmark.quantile(run.lateAskCpuMs.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
                        lateWall[s] = QualityBenchmark.quantile(run.lateAskWallMs.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
                        lateWallMax = Math.max(lateWallMax, run.lateAskWallMs.stream().mapToDouble(Double::doubleValue).max().orElse(0));
                        nanos += System.nanoTime() - start;
                    }
                    double ms = nanos / 1e6 / ((double) seeds * trials);
                    System.err.printf("%s on %s, %d worker(s): median hypervolume %.6g %s (%.1f ms/trial)%n", strategy, name,
                            workers, QualityBenchmark.quantile(hv, 0.5), Arrays.toString(hv), ms);
                    rows.append(String.format("| %s | %s | %d | %d | %.6g | %.6g – %.6g | %.1f | %.1f | %.1f / %.1f |%n", name,
                            strategy, workers, trials, QualityBenchmark.quantile(hv, 0.5), QualityBenchmark.quantile(hv, 0.25),
                            QualityBenchmark.quantile(hv, 0.75), ms, QualityBenchmark.quantile(lateAsk, 0.5),
                            QualityBenchmark.quantile(lateWall, 0.5), lateWallMax));
                }
            }
        }
        System.out.println(rows);
    }

    /** One in-process study: W asks (each seeing the earlier ones running), then W tells, oldest first. */
    static final class Run {
        final Strategy strategy;
        final MultiProblem problem;
        final long seed;
        final List<Direction> directions;
        final List<Observation> finished = new ArrayList<>();
        final ArrayDeque<Observation> running = new ArrayDeque<>();
        final List<double[]> feasible = new ArrayList<>();
        /** CPU time of the asks of the last 10 trials (unlike wall time, not inflated by other processes). */
        final List<Double> lateAskCpuMs = new ArrayList<>();
        /** Wall time of the same asks. */
        final List<Double> lateAskWallMs = new ArrayList<>();
        StrategyState state = StrategyState.EMPTY;
        long number;

        /** Whether the strategy is told the problem's reference point, as a study that declares it tells it. */
        final boolean declared;

        Run(Strategy strategy, MultiProblem problem, long seed, boolean declared) {
            this.declared = declared;
            this.strategy = strategy;
            this.problem = problem;
            this.seed = seed;
            this.directions = Collections.nCopies(problem.reference().length, Direction.MINIMIZE);
        }

        double run(int trials, int workers) {
            while (number < trials) {
                while (running.size() < workers && number < trials) {
                    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                    long cpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    ProposalBatch batch = strategy.propose(new AskContext(problem.space(), directions, seed, number, 1,
                            state, History.of(finished, List.copyOf(running)), declared ? problem.reference() : null));
                    if (number >= trials - 10) {
                        lateAskCpuMs.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
                        lateAskWallMs.add((System.nanoTime() - wall) / 1e6);
                    }
                    state = batch.state();
                    Proposal p = batch.proposals().get(0);
                    running.add(new Observation(number++, TrialStatus.RUNNING, p.params(), null, p.tags()));
                }
                while (!running.isEmpty()) {
                    Observation o = running.poll();
                    double[] x = new double[problem.space().size()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = ((Number) o.params().get(problem.space().parameters().get(i).name())).doubleValue();
                    }
                    double[][] result = problem.evaluate().apply(x);
                    double[] constraints = result[1].length == 0 ? null : result[1];
                    if (Pareto.violation(constraints) <= 0) {
                        feasible.add(result[0]);
                    }
                    finished.add(new Observation(o.number(), TrialStatus.COMPLETED, o.params(), result[0], o.tags(), constraints));
                }
            }
            return Pareto.hypervolume(feasible, problem.reference());
        }

        /** Appends one JSON line: the run's key and every trial's objectives and constraints, in trial order. */
        void dump(java.nio.file.Path file, String strategyName, int workers) {
            var sb = new StringBuilder();
            sb.append("{\"strategy\":\"").append(strategyName).append("\",\"problem\":\"").append(problem.name())
                    .append("\",\"seed\":").append(seed).append(",\"workers\":").append(workers).append(",\"trials\":[");
            var sorted = new ArrayList<>(finished);
            sorted.sort(java.util.Comparator.comparingLong(Observation::number));
            for (int i = 0; i < sorted.size(); i++) {
                Observation o = sorted.get(i);
                sb.append(i == 0 ? "" : ",").append("{\"x\":[");
                for (int j = 0; j < problem.space().size(); j++) {
                    sb.append(j == 0 ? "" : ",").append(o.params().get(problem.space().parameters().get(j).name()));
                }
                sb.append("],\"f\":").append(Arrays.toString(o.values())).append(",\"c\":")
                        .append(o.constraints() == null ? "[]" : Arrays.toString(o.constraints())).append('}');
            }
            sb.append("]}\n");
            try {
                java.nio.file.Files.writeString(file, sb, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
