package dev.tellus.strategy.grid;

import dev.tellus.history.Observation;
import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyOptions;
import dev.tellus.strategy.StrategyState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands out every point of the grid exactly once, in order. The state is the index of the next point; it is
 * read and written under the study's lock, so concurrent workers and replicas never get the same point.
 * A state that cannot be read is rebuilt from the grid index each trial carries as its {@code grid} tag.
 */
public final class GridSearch implements Strategy {

    static final int FORMAT = 1;
    static final String TAG = "grid";

    private final Grid grid;

    GridSearch(Grid grid) {
        this.grid = grid;
    }

    /** Validates the options ({@code grid}: values per parameter, for floats without a step) and builds the grid. */
    public static GridSearch create(Map<String, Object> options, SearchSpace space) {
        new StrategyOptions(options, Set.of(TAG)).check();
        return new GridSearch(Grid.of(space, gridValues(options.get(TAG))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> gridValues(Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new InvalidDefinition("strategy.options.grid", "must map parameter names to lists of values");
        }
        var out = new LinkedHashMap<String, List<Object>>();
        for (var e : map.entrySet()) {
            if (!(e.getValue() instanceof List<?> list)) {
                throw new InvalidDefinition("strategy.options.grid." + e.getKey(), "must be a list of values");
            }
            out.put(String.valueOf(e.getKey()), (List<Object>) list);
        }
        return out;
    }

    /** How many points the grid has. */
    public long size() {
        return grid.size();
    }

    @Override
    public ProposalBatch propose(AskContext context) {
        long next = nextIndex(context);
        var proposals = new ArrayList<Proposal>();
        while (proposals.size() < context.count() && next < grid.size()) {
            proposals.add(new Proposal(grid.point(next), Map.of(TAG, next)));
            next++;
        }
        var state = new StrategyState(FORMAT, Map.of("next", next, "size", grid.size()));
        return new ProposalBatch(proposals, state, next >= grid.size());
    }

    private long nextIndex(AskContext context) {
        StrategyState state = context.state();
        if (state.format() == FORMAT && state.document().get("next") instanceof Number n
                && state.document().get("size") instanceof Number s && s.longValue() == grid.size()) {
            return n.longValue();
        }
        long next = 0;
        for (var list : List.of(context.history().finished(), context.history().pending())) {
            for (Observation o : list) {
                if (o.tags().get(TAG) instanceof Number index) {
                    next = Math.max(next, index.longValue() + 1);
                }
            }
        }
        return next;
    }
}
