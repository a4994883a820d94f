package dev.tellus.trial;

import java.sql.Array;
import java.sql.SQLException;

/** PostgreSQL {@code double precision[]} columns to and from Java arrays (null stays null). */
final class SqlArrays {

    private SqlArrays() {
    }

    static double[] doubles(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] boxed = (Object[]) array.getArray();
        double[] out = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = ((Number) boxed[i]).doubleValue();
        }
        return out;
    }

    /** A value for a {@code double precision[]} parameter. */
    static Double[] boxed(double[] values) {
        if (values == null) {
            return null;
        }
        Double[] out = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
