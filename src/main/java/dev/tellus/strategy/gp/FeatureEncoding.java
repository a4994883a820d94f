package dev.tellus.strategy.gp;

import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the Gaussian process sees a trial: one feature in [0, 1] per numeric parameter (its unit encoding, so log
 * parameters are in log space and integer or stepped values sit at the centres of equal bins) and one-hot
 * features per categorical (so unrelated choices are not placed on a line as if neighbours were similar).
 * An inactive numeric parameter reads as 0.5 and an inactive categorical as all zeros.
 *
 * <p>The acquisition is searched in a "position" space with one coordinate in [0, 1] per parameter (a
 * categorical's coordinate picks its choice by equal bins); {@link #params} turns a position into a valid
 * assignment and {@link #features} puts that assignment back into feature space, so every point the acquisition
 * scores is one the study could actually run.
 */
final class FeatureEncoding {

    private final SearchSpace space;
    private final List<Parameter> parameters;
    private final int[] offset;
    private final int size;

    FeatureEncoding(SearchSpace space) {
        this.space = space;
        this.parameters = space.parameters();
        this.offset = new int[parameters.size()];
        int at = 0;
        for (int i = 0; i < parameters.size(); i++) {
            offset[i] = at;
            at += parameters.get(i) instanceof CategoricalParameter c ? c.choices().size() : 1;
        }
        this.size = at;
    }

    /** The number of features. */
    int size() {
        return size;
    }

    /** The number of position coordinates (one per parameter). */
    int positions() {
        return parameters.size();
    }

    boolean isCategorical(int position) {
        return parameters.get(position) instanceof CategoricalParameter;
    }

    /** The features of an assignment, or null when a value cannot be read (not a number, unknown choice). */
    double[] features(Map<String, Object> params) {
        double[] x = new double[size];
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Object v = params.get(p.name());
            if (p instanceof CategoricalParameter c) {
                if (v != null) {
                    int k = c.indexOf(v);
                    if (k < 0) {
                        return null;
                    }
                    x[offset[i] + k] = 1;
                }
            } else if (v == null) {
                x[offset[i]] = 0.5;
            } else if (v instanceof Number) {
                x[offset[i]] = p.toUnit(v);
            } else {
                return null;
            }
        }
        return x;
    }

    /** The assignment at a position (active parameters only, in space order). */
    Map<String, Object> params(double[] position) {
        var all = new HashMap<String, Object>();
        for (int i = 0; i < parameters.size(); i++) {
            all.put(parameters.get(i).name(), parameters.get(i).fromUnit(position[i]));
        }
        return space.activeOnly(all);
    }

    /** A position that leads to the given assignment (inactive parameters at the middle). */
    double[] position(Map<String, Object> params) {
        double[] u = new double[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            Object v = params.get(parameters.get(i).name());
            u[i] = v == null ? 0.5 : parameters.get(i).toUnit(v);
        }
        return u;
    }
}
