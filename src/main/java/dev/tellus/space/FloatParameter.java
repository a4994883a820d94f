package dev.tellus.space;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real-valued parameter in [low, high], optionally log-scaled or restricted to low + k * step. */
public record FloatParameter(String name, double low, double high, boolean log, Double step, Condition when)
        implements Parameter {

    /** Relative tolerance for deciding that a client's value lies on the step grid. */
    static final double STEP_TOLERANCE = 1e-9;

    @Override
    public long cardinality() {
        return step == null ? -1 : Math.round((high - low) / step) + 1;
    }

    @Override
    public Object valueAt(long index) {
        if (step == null) {
            throw new IllegalStateException(name + " is continuous");
        }
        // Decimal arithmetic so that 0.05 * 3 is 0.15, not 0.15000000000000002.
        double value = BigDecimal.valueOf(low).add(BigDecimal.valueOf(step).multiply(BigDecimal.valueOf(index))).doubleValue();
        return Math.min(high, value);
    }

    @Override
    public double toUnit(Object value) {
        double v = ((Number) value).doubleValue();
        if (step != null) {
            long n = cardinality();
            long k = Math.round((v - low) / step);
            return (Math.min(n - 1, Math.max(0, k)) + 0.5) / n;
        }
        if (log) {
            return Parameter.clampUnit((Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)));
        }
        return Parameter.clampUnit((v - low) / (high - low));
    }

    @Override
    public Object fromUnit(double unit) {
        double u = Parameter.clampUnit(unit);
        if (step != null) {
            return valueAt(Parameter.bin(u, cardinality()));
        }
        double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
        return Math.min(high, Math.max(low, v));
    }

    @Override
    public Object canonical(Object raw) {
        if (!(raw instanceof Number number) || raw instanceof Byte) {
            throw new IllegalArgumentException("must be a number");
        }
        double v = number.doubleValue();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("must be a finite number");
        }
        if (v < low || v > high) {
            throw new IllegalArgumentException("must be between " + low + " and " + high);
        }
        if (step != null) {
            double k = (v - low) / step;
            if (Math.abs(k - Math.rint(k)) > STEP_TOLERANCE * Math.max(1.0, Math.abs(k))) {
                throw new IllegalArgumentException("must be " + low + " plus a multiple of the step " + step);
            }
            return valueAt(Math.round(k));
        }
        return v;
    }

    @Override
    public Map<String, Object> describe() {
        var out = new LinkedHashMap<String, Object>();
        out.put("type", "float");
        out.put("low", low);
        out.put("high", high);
        out.put("log", log);
        if (step != null) {
            out.put("step", step);
        }
        if (!when.isAlways()) {
            out.put("when", when.requirements());
        }
        return out;
    }
}
