package dev.tellus.bench;

import dev.tellus.pruning.Pruner;
import dev.tellus.pruning.Pruners;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.support.TrialRandom;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The pruning benchmark: a learning-curve problem where each configuration has a final loss and a noisy curve
 * decaying towards it over 50 steps, and slow starters can win (curves cross). Random search proposes, so
 * only the pruner differs between rows. One worker, sequential, in-process, the pruner asked exactly as the
 * service asks it (the other trials' values at the same step).
 *
 * <p>Per pruner, over seeds 0..N-1 (medians): (a) at the same number of trials, the training steps used and
 * the best final loss; (b) at the same total number of steps as no pruning uses for those trials, the final
 * regret. Run: {@code ./mvnw -q -Pbench test -Dbench.main=dev.tellus.bench.PruningBenchmark
 * -Dbench.args="--seeds 10 --trials 100"} (options: {@code --first-seed N}, default 0).
 */
public final class PruningBenchmark {

    static final int STEPS = 50;
    static final double NOISE = 0.02;
    static final double OPTIMUM = 0.1;

    /** A pruner as configured for the benchmark. */
    record Config(String name, Map<String, Object> options) {
    }

    static List<Config> configs() {
        var asha = new LinkedHashMap<String, Object>();
        asha.put("minResource", 5);
        asha.put("reductionFactor", 3);
        asha.put("maxResource", STEPS);
        return List.of(
                new Config("none", Map.of()),
                new Config("median", Map.of("startupTrials", 5, "warmupSteps", 10)),
                new Config("percentile", Map.of("percentile", 40, "startupTrials", 5, "warmupSteps", 10)),
                new Config("asha", asha),
                new Config("hyperband", Map.of("minResource", 3, "reductionFactor", 3, "maxResource", STEPS)),
                // The defaults before `auto` resources: judged from the first step on.
                new Config("asha", Map.of("minResource", 1, "maxResource", STEPS)),
                new Config("hyperband", Map.of("minResource", 1, "maxResource", STEPS)),
                // The pruners at their defaults (asha and hyperband: resources `auto`).
                new Config("median", Map.of()),
                new Config("asha", Map.of()),
                new Config("hyperband", Map.of()),
                // median's default before its warm-up became auto (R/3 with R = 50 steps: 16), and the other
                // candidates measured for it, R/9 (asha's first rung) and R/2 (docs/quality.md).
                new Config("median", Map.of("warmupSteps", 0)),
                new Config("median", Map.of("warmupSteps", 5)),
                new Config("median", Map.of("warmupSteps", 25)));
    }

    /** Four parameters: three shape the final loss, the fourth (speed) shapes the curve and, a little, the final loss. */
    static final SearchSpace SPACE = Problems.box(4, 0, 1);

    /** The loss a configuration ends at after all 50 steps: at least OPTIMUM, at slow speeds. */
    static double finalLoss(double[] x) {
        return OPTIMUM + Math.pow(x[0] - 0.3, 2) + Math.pow(x[1] - 0.6, 2) + 0.5 * Math.pow(x[2] - 0.5, 2)
                + 0.2 * Math.pow(x[3] - 0.7, 2);
    }

    /**
     * The noise-free curve: starts 0.5 to 1 above the final loss and decays with time constant 2..12 steps; the
     * slower (larger x3) configurations lead at the end, so curves cross.
     */
    static double curve(double[] x, long step) {
        double tau = 2 + 10 * x[3];
        double start = 0.5 + 0.5 * x[3];
        return finalLoss(x) + start * (Math.exp(-step / tau) - Math.exp(-STEPS / tau));
    }

    /** One study's outcome. */
    record Run(int trials, long steps, double bestFinal) {
    }

    /**
     * Runs trials until either maxTrials trials ran or maxSteps steps were used. The best trial is the completed
     * one with the lowest reported last value; its true final loss is returned.
     */
    static Run run(Config config, long seed, int maxTrials, long maxSteps) {
        Pruner pruner = Pruners.create(config.name(), config.options());
        Strategy random = Strategies.create("random", Map.of(), SPACE);
        var byStep = new HashMap<Long, Map<Long, Double>>();
        // As the service does for `auto` resources: the last step of the first completed trial, once there is one.
        Long reference = null;
        Pruner judge = pruner.resolve(null);
        long steps = 0;
        int trials = 0;
        double bestObserved = Double.POSITIVE_INFINITY;
        double bestFinal = Double.NaN;
        while (trials < maxTrials && steps < maxSteps) {
            long number = trials++;
            ProposalBatch batch = random.propose(new AskContext(SPACE, List.of(Direction.MINIMIZE), seed, number, 1,
                    StrategyState.EMPTY, History.of(List.of(), List.of())));
            Proposal proposal = batch.proposals().get(0);
            double[] x = Problems.vector(proposal.params(), 4);
            SplittableRandom noise = TrialRandom.of(~seed, number);
            double best = Double.POSITIVE_INFINITY;
            double last = Double.NaN;
            boolean completed = true;
            for (long step = 1; step <= STEPS; step++) {
                if (steps >= maxSteps) {
                    completed = false;
                    break;
                }
                steps++;
                last = curve(x, step) + NOISE * gaussian(noise);
                best = Math.min(best, last);
                Map<Long, Double> at = byStep.computeIfAbsent(step, s -> new HashMap<>());
                long[] peers = at.keySet().stream().mapToLong(Long::longValue).toArray();
                double[] losses = new double[peers.length];
                for (int i = 0; i < peers.length; i++) {
                    losses[i] = at.get(peers[i]);
                }
                at.put(number, last);
                if (step < STEPS && judge.decide(seed, number, new Pruner.Report(step, last, best), peers, losses)) {
                    completed = false;
                    break;
                }
            }
            if (completed && reference == null) {
                reference = (long) STEPS;
                judge = pruner.resolve(reference);
            }
            if (completed && last < bestObserved) {
                bestObserved = last;
                bestFinal = finalLoss(x);
            }
        }
        return new Run(trials, steps, bestFinal);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    public static void main(String[] args) {
        Map<String, String> opts = QualityBenchmark.parse(args);
        int seeds = Integer.parseInt(opts.getOrDefault("seeds", "10"));
        int trials = Integer.parseInt(opts.getOrDefault("trials", "100"));
        int firstSeed = Integer.parseInt(opts.getOrDefault("first-seed", "0"));
        long budget = (long) trials * STEPS;

        var sb = new StringBuilder();
        sb.append(String.format("Learning curves, 4 parameters, %d steps, noise sd %.2f, random search; median over seeds %d–%d.%n",
                STEPS, NOISE, firstSeed, firstSeed + seeds - 1));
        sb.append(String.format("(a) %d trials each; (b) %d steps each (what no pruning uses for %d trials).%n%n", trials, budget, trials));
        sb.append("| pruner | options | (a) steps | (a) steps vs none | (a) best final loss | (a) vs none | (a) regret | (b) trials | (b) regret | (b) vs none |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        double noneSteps = Double.NaN;
        double noneFinal = Double.NaN;
        double noneRegret = Double.NaN;
        for (Config config : configs()) {
            double[] stepsA = new double[seeds];
            double[] finalA = new double[seeds];
            double[] trialsB = new double[seeds];
            double[] regretB = new double[seeds];
            for (int seed = 0; seed < seeds; seed++) {
                Run a = run(config, firstSeed + seed, trials, Long.MAX_VALUE);
                stepsA[seed] = a.steps();
                finalA[seed] = a.bestFinal();
                Run b = run(config, firstSeed + seed, Integer.MAX_VALUE, budget);
                trialsB[seed] = b.trials();
                regretB[seed] = b.bestFinal() - OPTIMUM;
            }
            double steps = QualityBenchmark.quantile(stepsA, 0.5);
            double finalLoss = QualityBenchmark.quantile(finalA, 0.5);
            double regret = QualityBenchmark.quantile(regretB, 0.5);
            if (config.name().equals("none")) {
                noneSteps = steps;
                noneFinal = finalLoss;
                noneRegret = regret;
            }
            sb.append(String.format("| %s | %s | %.0f | %+.0f%% | %.4f | %.2fx | %.4f | %.0f | %.4f | %.2fx |%n",
                    config.name(), config.options().isEmpty() ? (config.name().equals("none") ? "" : "defaults") : new TreeMap<>(config.options()),
                    steps, 100 * (steps / noneSteps - 1), finalLoss, finalLoss / noneFinal, finalLoss - OPTIMUM,
                    QualityBenchmark.quantile(trialsB, 0.5), regret, regret / noneRegret));
        }
        System.out.println(sb);
    }
}
