package dev.tellus.space;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One dimension of a search space. Every parameter maps its values to and from the unit interval
 * ({@link #toUnit}, {@link #fromUnit}): log parameters in log space, integer and stepped parameters as
 * equal-width bins (so every value has the same share of [0, 1)), categorical choices as equal bins in
 * the order given. Strategies that need a vector work in that unit cube.
 */
public sealed interface Parameter permits FloatParameter, IntParameter, CategoricalParameter {

    String name();

    /** When this parameter is active; {@link Condition#ALWAYS} for most. */
    Condition when();

    /** The number of distinct values, or -1 for a continuous float. */
    long cardinality();

    /** The index-th of the distinct values in increasing order (finite parameters only). */
    Object valueAt(long index);

    /** The position of a canonical value in [0, 1]. */
    double toUnit(Object value);

    /** The value at a position in the unit interval (clamped to it). */
    Object fromUnit(double unit);

    /** A value drawn uniformly in the unit encoding (log-uniform for log parameters). */
    default Object sample(RandomGenerator random) {
        return fromUnit(random.nextDouble());
    }

    /**
     * The canonical form of a value a client sent (Double for floats, Long for ints, the defined choice for
     * categoricals), or an {@link IllegalArgumentException} whose message says what is wrong.
     */
    Object canonical(Object raw);

    /** The definition as it is shown back to clients, with defaults filled in. */
    Map<String, Object> describe();

    /** Clamp to [0, 1]; NaN goes to the middle so a broken proposal can never leave the space. */
    static double clampUnit(double unit) {
        if (Double.isNaN(unit)) {
            return 0.5;
        }
        return Math.min(1.0, Math.max(0.0, unit));
    }

    /** The bin of n equal bins that a unit position falls into. */
    static long bin(double unit, long n) {
        long k = (long) Math.floor(clampUnit(unit) * n);
        return Math.min(n - 1, Math.max(0, k));
    }
}
