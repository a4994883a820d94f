package dev.tellus.strategy.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Defensive reading and writing of JSON-shaped state: after a jsonb round trip an integer may be an Integer or
 * a Long and a double may have lost its fraction; anything malformed reads as null so the caller can rebuild.
 */
public final class Json {

    private Json() {
    }

    public static List<Double> list(double[] values) {
        var out = new ArrayList<Double>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    public static List<Integer> list(int[] values) {
        var out = new ArrayList<Integer>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    public static List<List<Double>> matrix(double[][] rows) {
        var out = new ArrayList<List<Double>>(rows.length);
        for (double[] row : rows) {
            out.add(list(row));
        }
        return out;
    }

    public static long asLong(Object raw, long otherwise) {
        return raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : otherwise;
    }

    public static double asDouble(Object raw, double otherwise) {
        return raw instanceof Number n ? n.doubleValue() : otherwise;
    }

    /** A list of exactly `length` finite numbers, or null. */
    public static double[] doubles(Object raw, int length) {
        if (!(raw instanceof List<?> list) || list.size() != length) {
            return null;
        }
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            if (!(list.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                return null;
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** A list of exactly `length` integers, or null. */
    public static int[] ints(Object raw, int length) {
        double[] d = doubles(raw, length);
        if (d == null) {
            return null;
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            if (d[i] != Math.rint(d[i])) {
                return null;
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /** A square matrix of size n, or null. */
    public static double[][] matrix(Object raw, int n) {
        if (!(raw instanceof List<?> rows) || rows.size() != n) {
            return null;
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = doubles(rows.get(i), n);
            if (out[i] == null) {
                return null;
            }
        }
        return out;
    }
}
