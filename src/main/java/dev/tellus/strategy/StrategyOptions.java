package dev.tellus.strategy;

import dev.tellus.space.InvalidDefinition;

import java.util.Map;
import java.util.Set;

/** A strategy's options as the study gave them, read with range checks that fail as {@code strategy.options.<name>}. */
public final class StrategyOptions {

    private final Map<String, Object> options;

    /** Rejects any option not in {@code known}. */
    public StrategyOptions(Map<String, Object> options, Set<String> known) {
        this.options = options == null ? Map.of() : options;
        for (String key : this.options.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidDefinition(field(key), "is not an option of this strategy; known: "
                        + known.stream().sorted().toList());
            }
        }
    }

    public int integer(String name, int fallback, int min, int max) {
        Object raw = options.get(name);
        if (raw == null) {
            return fallback;
        }
        if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new InvalidDefinition(field(name), "must be an integer");
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw new InvalidDefinition(field(name), "must be between " + min + " and " + max);
        }
        return (int) v;
    }

    /** A number in (minExclusive, maxInclusive]. */
    public double number(String name, double fallback, double minExclusive, double maxInclusive) {
        Object raw = options.get(name);
        if (raw == null) {
            return fallback;
        }
        if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new InvalidDefinition(field(name), "must be a finite number");
        }
        double v = n.doubleValue();
        if (v <= minExclusive || v > maxInclusive) {
            throw new InvalidDefinition(field(name), "must be greater than " + minExclusive + " and at most " + maxInclusive);
        }
        return v;
    }

    public boolean bool(String name, boolean fallback) {
        Object raw = options.get(name);
        if (raw == null) {
            return fallback;
        }
        if (!(raw instanceof Boolean b)) {
            throw new InvalidDefinition(field(name), "must be true or false");
        }
        return b;
    }

    private static String field(String name) {
        return "strategy.options." + name;
    }
}
