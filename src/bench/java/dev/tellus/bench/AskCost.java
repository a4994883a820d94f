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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ask cost against study size: time per ask over {@value #REPEATS} consecutive asks (each told before the next)
 * once a study holds 100 and 2000 trials, with a history that answers {@code tagged} from an index the way the
 * service does and counts full reads ({@code finished()}).
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test -Dbench.main=dev.tellus.bench.AskCost} (optional {@code -Dbench.args="--strategies cmaes,genetic --problem
 * ellipsoid-10d"}).
 */
public final class AskCost {

    static final int REPEATS = 400;

    /** A history like the service's: tagged answered from an index; full reads counted. */
    static final class IndexedHistory implements History {
        final List<Observation> finished = new ArrayList<>();
        final Map<String, List<Observation>> index = new HashMap<>();
        int fullReads;

        void add(Observation o) {
            finished.add(o);
            for (var tag : o.tags().entrySet()) {
                index.computeIfAbsent(key(tag.getKey(), tag.getValue()), k -> new ArrayList<>()).add(o);
            }
        }

        private static String key(String name, Object value) {
            return name + "=" + (value instanceof Number n ? Double.toString(n.doubleValue()) : String.valueOf(value));
        }

        @Override
        public List<Observation> finished() {
            fullReads++;
            return finished;
        }

        @Override
        public List<Observation> pending() {
            fullReads++;
            return List.of();
        }

        @Override
        public List<Observation> tagged(String key, Object value) {
            return index.getOrDefault(key(key, value), List.of());
        }
    }

    /** The harness's {@code -Dbench.args} as {@code --name value} pairs, without the dashes. */
    static Map<String, String> options() {
        String raw = System.getProperty("bench.args", "");
        Map<String, String> opts = new HashMap<>();
        String[] parts = raw.isBlank() ? new String[0] : raw.trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            opts.put(parts[i].replaceFirst("^--", ""), parts[i + 1]);
        }
        return opts;
    }

    public static void main(String[] args) {
        Map<String, String> opts = options();
        List<String> strategies = List.of(opts.getOrDefault("strategies", "random,cmaes,genetic").split(","));
        Problem problem = Problems.evo().get(opts.getOrDefault("problem", "ellipsoid-10d"));
        int[] sizes = {100, 2000};
        int repeats = REPEATS;

        System.out.println("| strategy | problem | trials in study | µs per ask, median | µs per ask, 90th percentile | full history reads |");
        System.out.println("|---|---|---|---|---|---|");
        for (String name : strategies) {
            for (int size : sizes) {
                // The first measurement warms the JIT up on the same work; the second is reported.
                measure(name, problem, size, repeats);
                IndexedHistory history = new IndexedHistory();
                long[] nanos = measure(name, problem, size, repeats, history);
                System.out.printf("| %s | %s | %d | %.1f | %.1f | %d |%n", name, problem.name(), size,
                        nanos[repeats / 2] / 1e3, nanos[repeats * 9 / 10] / 1e3, history.fullReads);
            }
        }
    }

    private static long[] measure(String name, Problem problem, int size, int repeats) {
        return measure(name, problem, size, repeats, new IndexedHistory());
    }

    /** Grows a sequential study to `size` trials, then times `repeats` consecutive asks (each told before the next). */
    private static long[] measure(String name, Problem problem, int size, int repeats, IndexedHistory history) {
        Strategy strategy = Strategies.create(name, Map.of(), problem.space());
        StrategyState state = StrategyState.EMPTY;
        long number = 0;
        long[] nanos = new long[repeats];
        for (int r = -size; r < repeats; r++) {
            if (r == 0) {
                history.fullReads = 0;
            }
            long start = System.nanoTime();
            ProposalBatch batch = strategy.propose(context(problem, number, state, history));
            if (r >= 0) {
                nanos[r] = System.nanoTime() - start;
            }
            state = batch.state();
            Proposal p = batch.proposals().get(0);
            history.add(new Observation(number++, TrialStatus.COMPLETED, p.params(),
                    new double[] {problem.evaluate(p.params())}, p.tags()));
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static AskContext context(Problem problem, long number, StrategyState state, History history) {
        return new AskContext(problem.space(), List.of(Direction.MINIMIZE), 1, number, 1, state, history);
    }
}
