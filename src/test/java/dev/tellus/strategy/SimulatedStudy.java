package dev.tellus.strategy;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.SearchSpace;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * An in-memory study for strategy tests: asks, tells and keeps state the way the service does, including a
 * JSON round trip of the state after every ask (as jsonb storage would do).
 */
public final class SimulatedStudy {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public final SearchSpace space;
    public final Strategy strategy;
    public final long seed;
    public final List<Direction> directions;
    public final List<Observation> finished = new ArrayList<>();
    public final List<Observation> pending = new ArrayList<>();
    public StrategyState state = StrategyState.EMPTY;
    public long nextNumber;
    public boolean exhausted;
    /** The study's reference point as losses (null: none), handed to the strategy in every ask. */
    public double[] reference;

    public SimulatedStudy(SearchSpace space, Strategy strategy, long seed) {
        this(space, strategy, seed, List.of(Direction.MINIMIZE));
    }

    public SimulatedStudy(SearchSpace space, Strategy strategy, long seed, List<Direction> directions) {
        this.space = space;
        this.strategy = strategy;
        this.seed = seed;
        this.directions = directions;
    }

    /** Asks for up to count trials; they become pending. */
    public List<Observation> ask(int count) {
        var context = new AskContext(space, directions, seed, nextNumber, count, state,
                History.of(finished, pending), reference);
        ProposalBatch batch = strategy.propose(context);
        state = roundTrip(batch.state());
        exhausted = batch.exhausted();
        var asked = new ArrayList<Observation>();
        for (Proposal p : batch.proposals()) {
            var o = new Observation(nextNumber++, TrialStatus.RUNNING, p.params(), null, p.tags());
            pending.add(o);
            asked.add(o);
        }
        return asked;
    }

    public void tell(Observation trial, double value) {
        finish(trial, TrialStatus.COMPLETED, new double[] {value});
    }

    public void finish(Observation trial, TrialStatus status, double[] values) {
        pending.removeIf(o -> o.number() == trial.number());
        finished.add(new Observation(trial.number(), status, trial.params(), values, trial.tags()));
        finished.sort(java.util.Comparator.comparingLong(Observation::number));
    }

    /** Finishes a trial COMPLETED with several objective values and constraint values (or null). */
    public void tell(Observation trial, double[] values, double[] constraints) {
        pending.removeIf(o -> o.number() == trial.number());
        finished.add(new Observation(trial.number(), TrialStatus.COMPLETED, trial.params(), values, trial.tags(), constraints));
        finished.sort(java.util.Comparator.comparingLong(Observation::number));
    }

    /** Asks batches of `batch` and tells them newest first, n trials in all; the outcome gives values and constraints. */
    public List<Map<String, Object>> runMulti(int n, int batch,
                                              java.util.function.Function<Map<String, Object>, double[][]> outcome) {
        var out = new ArrayList<Map<String, Object>>();
        while (out.size() < n) {
            List<Observation> asked = ask(Math.min(batch, n - out.size()));
            if (asked.isEmpty()) {
                break;
            }
            for (int i = asked.size() - 1; i >= 0; i--) {
                Observation o = asked.get(i);
                double[][] r = outcome.apply(o.params());
                tell(o, r[0], r[1]);
            }
            asked.forEach(o -> out.add(o.params()));
        }
        return out;
    }

    /** Runs a sequential loop of n trials on an objective; returns the proposals in order. */
    public List<Map<String, Object>> run(int n, ToDoubleFunction<Map<String, Object>> objective) {
        var out = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < n; i++) {
            List<Observation> asked = ask(1);
            if (asked.isEmpty()) {
                break;
            }
            Observation o = asked.get(0);
            out.add(o.params());
            tell(o, objective.applyAsDouble(o.params()));
        }
        return out;
    }

    /** The state as it comes back from a jsonb column: JSON text and back to maps, lists and numbers. */
    public static StrategyState roundTrip(StrategyState state) {
        String text = JSON.writeValueAsString(state.document());
        Map<String, Object> document = JSON.readValue(text, new TypeReference<>() {
        });
        return new StrategyState(state.format(), document);
    }
}
