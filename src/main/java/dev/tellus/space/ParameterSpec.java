package dev.tellus.space;

import java.util.List;
import java.util.Map;

/**
 * A parameter as a client writes it in a study definition; {@link SearchSpace#parse} validates it.
 * Numbers arrive as doubles: an int parameter's bounds must be whole numbers.
 */
public record ParameterSpec(
        String type,
        Double low,
        Double high,
        Boolean log,
        Double step,
        List<Object> choices,
        Map<String, List<Object>> when) {
}
