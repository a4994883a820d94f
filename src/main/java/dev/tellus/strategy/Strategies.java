package dev.tellus.strategy;

import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.SearchSpace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalogue of strategies by name: validates a study's strategy options and builds the strategy. */
public final class Strategies {

    /** What a study gets when it names no strategy. */
    public static final String DEFAULT = "tpe";

    private static final Set<String> AVAILABLE = Set.of("random", "grid", "tpe", "gp", "auto", "cmaes", "genetic");
    private static final List<String> PLANNED = List.of();

    private Strategies() {
    }

    public static List<String> names() {
        return AVAILABLE.stream().sorted().toList();
    }

    /** Builds the named strategy for a space, or throws with a field error under {@code strategy.…}. */
    public static Strategy create(String name, Map<String, Object> options, SearchSpace space) {
        Map<String, Object> opts = options == null ? Map.of() : options;
        return switch (name) {
            case "random" -> {
                new StrategyOptions(opts, Set.of()).check();
                yield new RandomSearch();
            }
            case "grid" -> {
                new StrategyOptions(opts, Set.of("grid")).check();
                yield new GridSearch(Grid.of(space, gridValues(opts.get("grid"))));
            }
            case "tpe" -> new dev.tellus.strategy.tpe.TreeParzenEstimator(space, opts);
            case "gp" -> new dev.tellus.strategy.gp.GaussianProcessSearch(space, opts);
            case "auto" -> AutomaticStrategy.forSpace(opts, space);
            case "cmaes" -> CmaEs.create(opts, space);
            case "genetic" -> Genetic.create(opts, space);
            default -> throw new InvalidDefinition("strategy.name", PLANNED.contains(name)
                    ? "'" + name + "' is not available in this version; available: " + names()
                    : "must be one of " + names() + ", not '" + name + "'");
        };
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
}
