package dev.tellus.strategy.evolution;

import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the evolutionary strategies see a space: every numeric parameter (float, int, stepped) is a coordinate
 * of the unit cube in its {@link Parameter#toUnit} encoding (so log parameters live in log space), and every
 * categorical parameter is a choice index. Conditional parameters always have a gene; only the active ones
 * reach the trial's params.
 */
final class Genes {

    private final SearchSpace space;
    private final List<Parameter> numeric = new ArrayList<>();
    private final List<CategoricalParameter> categorical = new ArrayList<>();

    Genes(SearchSpace space) {
        this.space = space;
        for (Parameter p : space.parameters()) {
            if (p instanceof CategoricalParameter c) {
                categorical.add(c);
            } else {
                numeric.add(p);
            }
        }
    }

    /** Numeric coordinates. */
    int dimensions() {
        return numeric.size();
    }

    int categoricals() {
        return categorical.size();
    }

    int choices(int j) {
        return categorical.get(j).choices().size();
    }

    String categoricalName(int j) {
        return categorical.get(j).name();
    }

    /** The trial's params: every gene decoded, then the inactive ones dropped. */
    Map<String, Object> params(double[] x, int[] c) {
        var all = new HashMap<String, Object>();
        for (int i = 0; i < numeric.size(); i++) {
            all.put(numeric.get(i).name(), numeric.get(i).fromUnit(x[i]));
        }
        for (int j = 0; j < categorical.size(); j++) {
            all.put(categorical.get(j).name(), categorical.get(j).valueAt(c[j]));
        }
        return space.activeOnly(all);
    }

    /**
     * The unit interval [lo, hi] of the value that position u decodes to, for a coordinate with finitely many
     * values; null for a continuous float. A coordinate with a single value has the bin [0, 1].
     */
    double[] bin(int i, double u) {
        Parameter p = numeric.get(i);
        if (p instanceof IntParameter ip && ip.log()) {
            double a = Math.log(ip.low() - 0.5);
            double b = Math.log(ip.high() + 0.5);
            long v = (Long) ip.fromUnit(u);
            double lo = v == ip.low() ? 0.0 : (Math.log(v - 0.5) - a) / (b - a);
            double hi = v == ip.high() ? 1.0 : (Math.log(v + 0.5) - a) / (b - a);
            return new double[] {lo, hi};
        }
        if (p instanceof FloatParameter f && f.step() == null) {
            return null;
        }
        long n = p.cardinality();
        long k = Parameter.bin(u, n);
        return new double[] {k / (double) n, (k + 1) / (double) n};
    }
}
