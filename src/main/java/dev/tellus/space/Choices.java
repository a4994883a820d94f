package dev.tellus.space;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Equality and normalisation of categorical choices: JSON scalars, where 1 and 1.0 are the same number. */
final class Choices {

    private Choices() {
    }

    /** A scalar in canonical form (integers as Long, other numbers as Double), or null when not a JSON scalar. */
    static Object normalise(Object raw) {
        if (raw instanceof String || raw instanceof Boolean) {
            return raw;
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (raw instanceof BigDecimal dec) {
            return dec.doubleValue();
        }
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return a != null && a.equals(b);
    }
}
