package dev.tellus.strategy;

import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a strategy's options, collecting every problem as a field error under {@code strategy.options.<name>}. */
public final class StrategyOptions {

    private final Map<String, Object> raw;
    private final List<FieldError> errors = new ArrayList<>();

    /** Reads options, recording any name not in {@code known} as an error. */
    public StrategyOptions(Map<String, Object> raw, Set<String> known) {
        this.raw = raw == null ? Map.of() : raw;
        for (String key : this.raw.keySet()) {
            if (!known.contains(key)) {
                errors.add(new FieldError(field(key), known.isEmpty() ? "this strategy takes no options"
                        : "is not an option of this strategy; known: " + known.stream().sorted().toList()));
            }
        }
    }

    private static String field(String name) {
        return "strategy.options." + name;
    }

    /** An integer in [min, max], or the default when absent. */
    public int integer(String name, int min, int max, int otherwise) {
        Object v = raw.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            errors.add(new FieldError(field(name), "must be an integer"));
            return otherwise;
        }
        if (n.doubleValue() < min || n.doubleValue() > max) {
            errors.add(new FieldError(field(name), "must be between " + min + " and " + max));
            return otherwise;
        }
        return n.intValue();
    }

    /** A number in (lowExclusive, high], or the default when absent. */
    public double number(String name, double lowExclusive, double high, double otherwise) {
        Object v = raw.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            errors.add(new FieldError(field(name), "must be a number"));
            return otherwise;
        }
        if (n.doubleValue() <= lowExclusive || n.doubleValue() > high) {
            errors.add(new FieldError(field(name), "must be greater than " + lowExclusive + " and at most " + high));
            return otherwise;
        }
        return n.doubleValue();
    }

    /** One of the allowed words, or the default when absent. */
    public String word(String name, List<String> allowed, String otherwise) {
        Object v = raw.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof String s) || !allowed.contains(s)) {
            errors.add(new FieldError(field(name), "must be one of " + allowed));
            return otherwise;
        }
        return s;
    }

    /** true or false, or the default when absent. */
    public boolean bool(String name, boolean otherwise) {
        Object v = raw.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Boolean b)) {
            errors.add(new FieldError(field(name), "must be true or false"));
            return otherwise;
        }
        return b;
    }

    /** Throws every problem found so far at once. */
    public void check() {
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
    }
}
