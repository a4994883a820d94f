package dev.tellus.strategy.grid;

import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The points of a grid search, numbered 0..size-1 without materialising them. Conditional spaces are split
 * into blocks, one per combination of the categorical parents that conditions refer to, so that a point
 * never differs from another only in an inactive parameter. Within a block, points are in mixed-radix order
 * with the last parameter varying fastest.
 */
final class Grid {

    /** More parent combinations than this is a space no grid search will finish; refuse it early. */
    static final int MAX_BLOCKS = 100_000;

    private record Axis(Parameter parameter, List<Object> listed) {
        long count() {
            return listed != null ? listed.size() : parameter.cardinality();
        }

        Object value(long index) {
            return listed != null ? listed.get((int) index) : parameter.valueAt(index);
        }
    }

    private record Block(Map<String, Object> parents, List<Axis> axes, long offset, long size) {
    }

    private final SearchSpace space;
    private final List<Block> blocks;
    private final long[] offsets;
    private final long size;

    private Grid(SearchSpace space, List<Block> blocks, long size) {
        this.space = space;
        this.blocks = blocks;
        this.size = size;
        this.offsets = blocks.stream().mapToLong(Block::offset).toArray();
    }

    long size() {
        return size;
    }

    /** The index-th point (active parameters only, in space order). */
    Map<String, Object> point(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int b = Arrays.binarySearch(offsets, index);
        if (b < 0) {
            b = -b - 2;
        }
        // Skip empty blocks that share an offset with the one holding the point.
        while (b + 1 < blocks.size() && offsets[b + 1] <= index) {
            b++;
        }
        Block block = blocks.get(b);
        long rest = index - block.offset();
        var values = new HashMap<String, Object>(block.parents());
        for (int i = block.axes().size() - 1; i >= 0; i--) {
            Axis axis = block.axes().get(i);
            long n = axis.count();
            values.put(axis.parameter().name(), axis.value(rest % n));
            rest /= n;
        }
        return space.inSpaceOrder(values);
    }

    /** Builds the grid, or reports which parameters have no finite set of values. */
    static Grid of(SearchSpace space, Map<String, List<Object>> listedValues) {
        var errors = new ArrayList<FieldError>();
        var listed = new HashMap<String, List<Object>>();
        for (var e : listedValues.entrySet()) {
            String field = "strategy.options.grid." + e.getKey();
            Parameter p = space.parameter(e.getKey());
            if (p == null) {
                errors.add(new FieldError(field, "is not a parameter of this study"));
                continue;
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                errors.add(new FieldError(field, "must list at least one value"));
                continue;
            }
            var canonical = new ArrayList<Object>();
            for (int i = 0; i < e.getValue().size(); i++) {
                try {
                    Object v = p.canonical(e.getValue().get(i));
                    if (canonical.contains(v)) {
                        errors.add(new FieldError(field + "[" + i + "]", "duplicates an earlier value"));
                    } else {
                        canonical.add(v);
                    }
                } catch (IllegalArgumentException ex) {
                    errors.add(new FieldError(field + "[" + i + "]", ex.getMessage()));
                }
            }
            listed.put(p.name(), canonical);
        }
        for (Parameter p : space.parameters()) {
            if (p.cardinality() < 0 && !listed.containsKey(p.name())) {
                errors.add(new FieldError("strategy.options.grid." + p.name(),
                        "is required: '" + p.name() + "' is a continuous float; give it a step or list its values here"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }

        Set<String> parentNames = new HashSet<>();
        for (Parameter p : space.parameters()) {
            parentNames.addAll(p.when().requirements().keySet());
        }
        List<Parameter> parents = space.evaluationOrder().stream().filter(p -> parentNames.contains(p.name())).toList();
        var assignments = new ArrayList<Map<String, Object>>();
        enumerateParents(parents, 0, new LinkedHashMap<>(), listed, assignments);

        var blocks = new ArrayList<Block>();
        long offset = 0;
        for (Map<String, Object> assignment : assignments) {
            var axes = new ArrayList<Axis>();
            long blockSize = 1;
            var active = new HashMap<String, Object>(assignment);
            for (Parameter p : space.parameters()) {
                if (parentNames.contains(p.name()) || !p.when().holds(active)) {
                    continue;
                }
                Axis axis = new Axis(p, listed.get(p.name()));
                axes.add(axis);
                blockSize = multiply(blockSize, axis.count());
            }
            blocks.add(new Block(Map.copyOf(assignment), List.copyOf(axes), offset, blockSize));
            offset = add(offset, blockSize);
        }
        return new Grid(space, List.copyOf(blocks), offset);
    }

    private static void enumerateParents(List<Parameter> parents, int i, LinkedHashMap<String, Object> assigned,
                                         Map<String, List<Object>> listed, List<Map<String, Object>> out) {
        if (out.size() > MAX_BLOCKS) {
            throw new InvalidDefinition("strategy", "the conditional parameters make more than " + MAX_BLOCKS
                    + " combinations of parent choices: too large for grid search");
        }
        if (i == parents.size()) {
            out.add(new LinkedHashMap<>(assigned));
            return;
        }
        CategoricalParameter parent = (CategoricalParameter) parents.get(i);
        if (!parent.when().holds(assigned)) {
            enumerateParents(parents, i + 1, assigned, listed, out);
            return;
        }
        List<Object> values = listed.getOrDefault(parent.name(), parent.choices());
        for (Object v : values) {
            assigned.put(parent.name(), v);
            enumerateParents(parents, i + 1, assigned, listed, out);
            assigned.remove(parent.name());
        }
    }

    private static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new InvalidDefinition("strategy", "the grid has more than 2^63 points");
        }
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new InvalidDefinition("strategy", "the grid has more than 2^63 points");
        }
    }
}
