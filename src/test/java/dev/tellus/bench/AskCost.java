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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ask cost against study size: time per ask once a study holds 100 and 2000 trials, with a history that answers
 * {@code tagged} from an index the way the service does and counts full reads ({@code finished()}).
 *
 * <p>Run: {@code ./mvnw -B -q -Pask-cost test} (optional {@code -Dask.args="--strategies cmaes,genetic --problem
 * ellipsoid-10d"}).
 */
public final class AskCost {

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

    public static void main(String[] args) {
        String raw = System.getProperty("ask.args", "");
        Map<String, String> opts = new HashMap<>();
        String[] parts = raw.isBlank() ? new String[0] : raw.trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            opts.put(parts[i].replaceFirst("^--", ""), parts[i + 1]);
        }
        List<String> strategies = List.of(opts.getOrDefault("strategies", "random,cmaes,genetic").split(","));
        Problem problem = Problems.evo().get(opts.getOrDefault("problem", "ellipsoid-10d"));
        int[] sizes = {100, 2000};
        int repeats = 400;

        System.out.println("| strategy | problem | trials in study | µs per ask (median of " + repeats + ") | full history reads |");
        System.out.println("|---|---|---|---|---|");
        for (String name : strategies) {
            for (int size : sizes) {
                Strategy strategy = Strategies.create(name, Map.of(), problem.space());
                var history = new IndexedHistory();
                StrategyState state = StrategyState.EMPTY;
                long number = 0;
                while (number < size) {
                    ProposalBatch batch = strategy.propose(context(problem, number, state, history));
                    state = batch.state();
                    Proposal p = batch.proposals().get(0);
                    history.add(new Observation(number++, TrialStatus.COMPLETED, p.params(),
                            new double[] {problem.evaluate(p.params())}, p.tags()));
                }
                for (int r = 0; r < 2000; r++) {
                    // Warm-up, so the first size measured does not pay for JIT compilation.
                    strategy.propose(context(problem, number, state, history));
                }
                history.fullReads = 0;
                long[] nanos = new long[repeats];
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    strategy.propose(context(problem, number, state, history));
                    nanos[r] = System.nanoTime() - start;
                }
                Arrays.sort(nanos);
                System.out.printf("| %s | %s | %d | %.1f | %d |%n", name, problem.name(), size, nanos[repeats / 2] / 1e3,
                        history.fullReads);
            }
        }
    }

    private static AskContext context(Problem problem, long number, StrategyState state, History history) {
        return new AskContext(problem.space(), List.of(Direction.MINIMIZE), 1, number, 1, state, history);
    }
}
