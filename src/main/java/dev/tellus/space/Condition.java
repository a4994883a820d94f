package dev.tellus.space;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a parameter is active: every named categorical parent is active and holds one of the listed choices.
 * The empty condition always holds.
 */
public record Condition(Map<String, List<Object>> requirements) {

    public static final Condition ALWAYS = new Condition(Map.of());

    public Condition {
        requirements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requirements));
    }

    public boolean isAlways() {
        return requirements.isEmpty();
    }

    /** Whether the condition holds for the given active values (inactive parents are absent from the map). */
    public boolean holds(Map<String, Object> activeValues) {
        for (var requirement : requirements.entrySet()) {
            Object value = activeValues.get(requirement.getKey());
            if (value == null) {
                return false;
            }
            boolean allowed = false;
            for (Object choice : requirement.getValue()) {
                if (Choices.same(choice, value)) {
                    allowed = true;
                    break;
                }
            }
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
