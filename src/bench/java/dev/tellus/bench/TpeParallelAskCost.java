package dev.tellus.bench;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyState;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CPU of one {@code tpe} ask as the throughput benchmark's 4 workers make it: the space of bench/throughput.py
 * (log float, int, stepped float, a categorical and a float conditional on it), losses drawn at random, and every
 * ask made while the 3 other workers' trials run. The study starts at {@code --trials} finished trials and grows by
 * one per ask, as in the service.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test -Dbench.main=dev.tellus.bench.TpeParallelAskCost
 * -Dbench.args="--trials 1000 --asks 3000 --options coordinateMoves=0"}.
 */
public final class TpeParallelAskCost {

    private TpeParallelAskCost() {
    }

    static SearchSpace throughputSpace() {
        return SearchSpace.of(
                new FloatParameter("lr", 1e-5, 0.1, true, null, Condition.ALWAYS),
                new IntParameter("layers", 1, 8, false, 1, Condition.ALWAYS),
                new FloatParameter("dropout", 0.0, 0.5, false, 0.05, Condition.ALWAYS),
                new CategoricalParameter("optimizer", List.of("adam", "sgd"), Condition.ALWAYS),
                new FloatParameter("momentum", 0.5, 0.99, false, null,
                        new Condition(Map.of("optimizer", List.of("sgd")))));
    }

    /** A history of finished trials plus the trials running now. */
    static final class Running implements History {
        final List<Observation> finished = new ArrayList<>();
        final ArrayDeque<Observation> running = new ArrayDeque<>();

        @Override
        public List<Observation> finished() {
            return finished;
        }

        @Override
        public List<Observation> pending() {
            return List.copyOf(running);
        }

        @Override
        public List<Observation> tagged(String key, Object value) {
            return List.of();
        }
    }

    public static void main(String[] args) {
        Map<String, String> opts = AskCost.options();
        int trials = Integer.parseInt(opts.getOrDefault("trials", "1000"));
        int asks = Integer.parseInt(opts.getOrDefault("asks", "3000"));
        Map<String, Object> options = new HashMap<>();
        for (String kv : opts.getOrDefault("options", "").split(",")) {
            if (kv.contains("=")) {
                String[] p = kv.split("=", 2);
                options.put(p[0], Double.parseDouble(p[1]));
            }
        }
        SearchSpace space = throughputSpace();
        Strategy strategy = Strategies.create("tpe", options, space);
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            Running history = new Running();
            var random = new SplittableRandom(7);
            long number = 0;
            long[] cpu = new long[asks];
            long digest = 0;
            for (int r = -trials; r < asks; r++) {
                if (history.running.size() == 4) {
                    Observation o = history.running.removeFirst();
                    history.finished.add(new Observation(o.number(), TrialStatus.COMPLETED, o.params(),
                            new double[] {random.nextDouble()}, Map.of()));
                }
                long start = bean.getCurrentThreadCpuTime();
                Proposal p = strategy.propose(new AskContext(space, List.of(Direction.MINIMIZE), 1, number, 1,
                        StrategyState.EMPTY, history)).proposals().get(0);
                long spent = bean.getCurrentThreadCpuTime() - start;
                if (r >= 0) {
                    cpu[r] = spent;
                }
                digest = digest * 31 + p.params().hashCode();
                history.running.addLast(new Observation(number++, TrialStatus.RUNNING, p.params(), null, Map.of()));
            }
            long total = Arrays.stream(cpu).sum();
            Arrays.sort(cpu);
            System.out.printf("round %d: %d asks from %d trials: CPU µs per ask mean %.0f, median %.0f, p90 %.0f; "
                            + "proposals digest %x%n", round, asks, trials, total / 1e3 / asks, cpu[asks / 2] / 1e3,
                    cpu[asks * 9 / 10] / 1e3, digest);
        }
    }
}
