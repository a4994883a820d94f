package dev.tellus.strategy;

import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.evolution.CmaEs;
import dev.tellus.strategy.evolution.Genetic;
import dev.tellus.strategy.gp.GaussianProcessSearch;
import dev.tellus.strategy.grid.GridSearch;
import dev.tellus.strategy.random.RandomSearch;
import dev.tellus.strategy.tpe.TreeParzenEstimator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of strategies by name: one entry per strategy, each validating its own options (field errors
 * under {@code strategy.…}) and building the strategy for a space.
 */
public final class Strategies {

    /**
     * What a study gets when it names no strategy: {@code auto}, which picks by the shape of the space (see
     * {@link AutomaticStrategy}). It was {@code tpe} before; studies created then stored {@code tpe} in their
     * definition and keep it, and a study that names a strategy gets exactly that one (docs/quality.md).
     */
    public static final String DEFAULT = "auto";

    /** Builds a strategy from its options, or throws {@link InvalidDefinition} naming the option at fault. */
    @FunctionalInterface
    public interface Factory {
        Strategy create(Map<String, Object> options, SearchSpace space);
    }

    /**
     * One registered strategy; {@code severalObjectives} says whether it optimises studies with several objectives
     * (or, like random and grid, ignores the objectives altogether).
     */
    public record Entry(String name, Factory factory, boolean severalObjectives) {

        Entry(String name, Factory factory) {
            this(name, factory, true);
        }
    }

    private static final Map<String, Entry> REGISTRY = registry(
            new Entry("random", RandomSearch::create),
            new Entry("grid", GridSearch::create),
            new Entry("tpe", (options, space) -> new TreeParzenEstimator(space, options)),
            new Entry("gp", (options, space) -> new GaussianProcessSearch(space, options)),
            new Entry("auto", AutomaticStrategy::forSpace),
            // CMA-ES and the genetic algorithm rank by one loss: a study with several objectives is refused
            // (docs/multi-objective.md) rather than silently optimising only its first objective.
            new Entry("cmaes", CmaEs::create, false),
            new Entry("genetic", Genetic::create, false),
            new Entry("nsga2", Genetic::nsga2));

    private Strategies() {
    }

    private static Map<String, Entry> registry(Entry... entries) {
        var out = new LinkedHashMap<String, Entry>();
        for (Entry e : entries) {
            if (out.put(e.name(), e) != null) {
                throw new IllegalStateException("two strategies named " + e.name());
            }
        }
        return Map.copyOf(out);
    }

    public static List<String> names() {
        return REGISTRY.keySet().stream().sorted().toList();
    }

    /** The strategies a study with several objectives may use, sorted. */
    public static List<String> forSeveralObjectives() {
        return REGISTRY.values().stream().filter(Entry::severalObjectives).map(Entry::name).sorted().toList();
    }

    /**
     * Refuses a strategy that optimises one objective for a study with several, naming the ones that fit. New
     * studies only: studies stored before the refusal keep loading (and optimise their first objective).
     */
    public static void checkObjectives(String name, int objectives) {
        Entry entry = REGISTRY.get(name);
        if (objectives > 1 && entry != null && !entry.severalObjectives()) {
            throw new InvalidDefinition("strategy.name", name + " optimises one objective; a study with " + objectives
                    + " objectives needs one of " + forSeveralObjectives());
        }
    }

    /** Builds the named strategy for a space, or throws with a field error under {@code strategy.…}. */
    public static Strategy create(String name, Map<String, Object> options, SearchSpace space) {
        Entry entry = REGISTRY.get(name);
        if (entry == null) {
            throw new InvalidDefinition("strategy.name", "must be one of " + names() + ", not '" + name + "'");
        }
        return entry.factory().create(options == null ? Map.of() : options, space);
    }
}
