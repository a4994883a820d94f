package dev.tellus.space;

import java.util.LinkedHashMap;
import java.util.Map;

/** An integer parameter in [low, high] taking low + k * step, optionally log-scaled (then step is 1). */
public record IntParameter(String name, long low, long high, boolean log, long step, Condition when)
        implements Parameter {

    @Override
    public long cardinality() {
        return (high - low) / step + 1;
    }

    @Override
    public Object valueAt(long index) {
        return low + index * step;
    }

    @Override
    public double toUnit(Object value) {
        long v = ((Number) value).longValue();
        if (log) {
            // Bins of equal width in log space over [low - 0.5, high + 0.5], so every integer keeps a share.
            double a = Math.log(low - 0.5);
            double b = Math.log(high + 0.5);
            return Parameter.clampUnit((Math.log(v) - a) / (b - a));
        }
        long n = cardinality();
        long k = Math.min(n - 1, Math.max(0, (v - low) / step));
        return (k + 0.5) / n;
    }

    @Override
    public Object fromUnit(double unit) {
        double u = Parameter.clampUnit(unit);
        if (log) {
            double a = Math.log(low - 0.5);
            double b = Math.log(high + 0.5);
            long v = Math.round(Math.exp(a + u * (b - a)));
            return Math.min(high, Math.max(low, v));
        }
        return valueAt(Parameter.bin(u, cardinality()));
    }

    @Override
    public Object canonical(Object raw) {
        if (!(raw instanceof Number number)) {
            throw new IllegalArgumentException("must be an integer");
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > SearchSpace.MAX_EXACT_INTEGER) {
            throw new IllegalArgumentException("must be an integer");
        }
        long v = (long) d;
        if (v < low || v > high) {
            throw new IllegalArgumentException("must be between " + low + " and " + high);
        }
        if ((v - low) % step != 0) {
            throw new IllegalArgumentException("must be " + low + " plus a multiple of the step " + step);
        }
        return v;
    }

    @Override
    public Map<String, Object> describe() {
        var out = new LinkedHashMap<String, Object>();
        out.put("type", "int");
        out.put("low", low);
        out.put("high", high);
        out.put("log", log);
        out.put("step", step);
        if (!when.isAlways()) {
            out.put("when", when.requirements());
        }
        return out;
    }
}
