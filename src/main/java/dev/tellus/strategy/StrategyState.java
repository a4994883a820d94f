package dev.tellus.strategy;

import java.util.Map;

/**
 * What a strategy keeps between asks, as a JSON-shaped tree (maps, lists, strings, numbers, booleans) plus
 * a format number. The service stores it as jsonb; a strategy that cannot read it rebuilds it from the trials.
 */
public record StrategyState(int format, Map<String, Object> document) {

    public static final StrategyState EMPTY = new StrategyState(0, Map.of());

    public StrategyState {
        document = document == null ? Map.of() : document;
    }

    public boolean isEmpty() {
        return format == 0 && document.isEmpty();
    }
}
