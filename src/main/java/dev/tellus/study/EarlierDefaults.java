package dev.tellus.study;

import dev.tellus.pruning.Pruners;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Defaults that earlier versions filled in, so that a {@code PUT} whose body leaves a field out still matches a study
 * created before the default changed. A stored definition does not say which of its values were filled in by a
 * default, but an earlier version stored exactly the same definition for a body that left the field out as for one
 * that named its default; so a body that leaves a field out matches a stored value that is the current default or
 * any earlier one (what the same body would have been stored as then). A body that names a value still has to match
 * exactly, and the stored value is what the study keeps using.
 *
 * <ul>
 *   <li>{@code strategy.name}: {@code tpe} until the default became {@code auto}.</li>
 *   <li>{@code asha}'s {@code minResource} 1 and {@code maxResource} null (no limit), {@code hyperband}'s
 *       {@code minResource} 1, until both became {@code auto} ({@code hyperband}'s {@code maxResource} had no
 *       default).</li>
 *   <li>{@code median}'s and {@code percentile}'s {@code warmupSteps} 0, until it became {@code auto}.</li>
 * </ul>
 */
final class EarlierDefaults {

    static final Set<String> STRATEGY_NAMES = Set.of("tpe");
    /** Per pruner, per option: the values an earlier version stored when the option was left out. */
    static final Map<String, Map<String, Object>> PRUNER_OPTIONS = Map.of(
            Pruners.ASHA, Map.of("minResource", 1L),
            Pruners.HYPERBAND, Map.of("minResource", 1L),
            Pruners.MEDIAN, Map.of("warmupSteps", 0L),
            Pruners.PERCENTILE, Map.of("warmupSteps", 0L));

    private EarlierDefaults() {
    }

    /**
     * The definition a body would be stored as, adjusted to an existing study where the body left a field out and
     * the study holds an earlier default for it. {@code wanted} (the canonical form of the body) is changed in
     * place and returned.
     */
    static ObjectNode adopt(ObjectNode wanted, JsonNode existing, StudyRequest request) {
        boolean strategyOmitted = request.strategy() == null || request.strategy().name() == null;
        JsonNode storedStrategy = existing.path("strategy").path("name");
        if (strategyOmitted && storedStrategy.isString() && STRATEGY_NAMES.contains(storedStrategy.asString())
                && wanted.get("strategy") instanceof ObjectNode strategy) {
            strategy.put("name", storedStrategy.asString());
        }
        String pruner = wanted.path("pruner").path("name").asString("");
        if (pruner.equals(existing.path("pruner").path("name").asString(null))
                && wanted.path("pruner").get("options") instanceof ObjectNode options) {
            Map<String, Object> given = request.pruner() == null || request.pruner().options() == null
                    ? Map.of() : request.pruner().options();
            var keys = new TreeSet<>(PRUNER_OPTIONS.getOrDefault(pruner, Map.of()).keySet());
            if (pruner.equals(Pruners.ASHA)) {
                keys.add("maxResource"); // left out, it was stored as null (no limit): see wasDefault
            }
            for (String key : keys) {
                JsonNode stored = existing.path("pruner").path("options").get(key);
                if (given.containsKey(key) || stored == null || !options.has(key)) {
                    continue;
                }
                if (wasDefault(pruner, key, stored)) {
                    options.set(key, stored);
                }
            }
        }
        return wanted;
    }

    private static boolean wasDefault(String pruner, String key, JsonNode stored) {
        if (pruner.equals(Pruners.ASHA) && key.equals("maxResource")) {
            return stored.isNull();
        }
        Object earlier = PRUNER_OPTIONS.getOrDefault(pruner, Map.of()).get(key);
        return earlier instanceof Long l && stored.isIntegralNumber() && stored.asLong() == l;
    }
}
