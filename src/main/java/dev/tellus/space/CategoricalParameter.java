package dev.tellus.space;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parameter that takes one of a list of JSON scalars (strings, numbers, booleans), in the order given. */
public record CategoricalParameter(String name, List<Object> choices, Condition when) implements Parameter {

    public CategoricalParameter {
        choices = List.copyOf(choices);
    }

    @Override
    public long cardinality() {
        return choices.size();
    }

    @Override
    public Object valueAt(long index) {
        return choices.get((int) index);
    }

    /** The position of a value among the choices, or -1. */
    public int indexOf(Object value) {
        for (int i = 0; i < choices.size(); i++) {
            if (Choices.same(choices.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public double toUnit(Object value) {
        int i = indexOf(value);
        return (Math.max(0, i) + 0.5) / choices.size();
    }

    @Override
    public Object fromUnit(double unit) {
        return choices.get((int) Parameter.bin(unit, choices.size()));
    }

    @Override
    public Object canonical(Object raw) {
        int i = indexOf(Choices.normalise(raw));
        if (i < 0) {
            throw new IllegalArgumentException("must be one of " + choices);
        }
        return choices.get(i);
    }

    @Override
    public Map<String, Object> describe() {
        var out = new LinkedHashMap<String, Object>();
        out.put("type", "categorical");
        out.put("choices", choices);
        if (!when.isAlways()) {
            out.put("when", when.requirements());
        }
        return out;
    }
}
