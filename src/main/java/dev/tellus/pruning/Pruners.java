package dev.tellus.pruning;

import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalogue of pruners by name: validates a study's pruner options and builds the pruner. */
public final class Pruners {

    public static final String NONE = "none";
    public static final String MEDIAN = "median";
    public static final String PERCENTILE = "percentile";
    public static final String ASHA = "asha";
    public static final String HYPERBAND = "hyperband";

    private static final List<String> NAMES = List.of(NONE, MEDIAN, PERCENTILE, ASHA, HYPERBAND);
    private static final Set<String> PERCENTILE_OPTIONS = Set.of("startupTrials", "warmupSteps", "interval");
    private static final Set<String> HALVING_OPTIONS = Set.of("minResource", "reductionFactor", "maxResource");

    private Pruners() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** Builds the named pruner, or throws with every field error under {@code pruner.…}. */
    public static Pruner create(String name, Map<String, Object> options) {
        Map<String, Object> opts = options == null ? Map.of() : options;
        var errors = new ArrayList<FieldError>();
        var read = new Options(opts, errors);
        Pruner pruner = switch (name) {
            case NONE -> {
                read.known(Set.of());
                yield new NoPruner();
            }
            case MEDIAN, PERCENTILE -> {
                boolean general = name.equals(PERCENTILE);
                var known = new HashSet<>(PERCENTILE_OPTIONS);
                if (general) {
                    known.add("percentile");
                }
                read.known(known);
                double percentile = general ? read.number("percentile", null, 0, 100) : 50;
                long startup = read.integer("startupTrials", 5L, 0);
                Long warmup = read.warmup("warmupSteps");
                long interval = read.integer("interval", 1L, 1);
                yield errors.isEmpty() ? new PercentilePruner(name, percentile, (int) Math.min(startup, Integer.MAX_VALUE),
                        warmup, interval) : null;
            }
            case ASHA, HYPERBAND -> {
                read.known(HALVING_OPTIONS);
                Long min = read.resource("minResource");
                long eta = read.integer("reductionFactor", 3L, 2);
                // asha: an explicit null maxResource means no limit (how studies created before `auto` stored it).
                boolean unlimited = name.equals(ASHA) && opts.containsKey("maxResource") && opts.get("maxResource") == null;
                Long max = unlimited ? null : read.resource("maxResource");
                if (errors.isEmpty() && min != null && max != null && max < min) {
                    errors.add(new FieldError("pruner.options.maxResource", "must be >= minResource (" + min + ")"));
                }
                if (!errors.isEmpty()) {
                    yield null;
                }
                int factor = (int) Math.min(eta, 1000);
                if (min == null || (max == null && !unlimited)) {
                    yield new AutoResourcePruner(name, min, factor, max);
                }
                yield name.equals(ASHA) ? new SuccessiveHalvingPruner(min, factor, max) : new HyperbandPruner(min, factor, max);
            }
            default -> throw new InvalidDefinition("pruner.name", "must be one of " + NAMES + ", not '" + name + "'");
        };
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        return pruner;
    }

    /** Reads options, collecting errors instead of stopping at the first. */
    private record Options(Map<String, Object> values, List<FieldError> errors) {

        void known(Set<String> known) {
            for (String key : values.keySet()) {
                if (!known.contains(key)) {
                    errors.add(new FieldError("pruner.options." + key, known.isEmpty()
                            ? "this pruner takes no options"
                            : "is not an option of this pruner; known: " + known.stream().sorted().toList()));
                }
            }
        }

        /** An integer option (JSON integers, or numbers with no fraction), at least min; required when no default. */
        long integer(String key, Long fallback, long min) {
            Object raw = values.get(key);
            if (raw == null) {
                if (fallback == null) {
                    errors.add(new FieldError("pruner.options." + key, "is required: an integer >= " + min));
                    return min;
                }
                return fallback;
            }
            if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > 1e15) {
                errors.add(new FieldError("pruner.options." + key, "must be an integer >= " + min));
                return fallback == null ? min : fallback;
            }
            long v = n.longValue();
            if (v < min) {
                errors.add(new FieldError("pruner.options." + key, "must be an integer >= " + min));
                return fallback == null ? min : fallback;
            }
            return v;
        }

        /** A resource: a step count >= 1, or "auto" (also when absent), returned as null. */
        Long resource(String key) {
            return stepsOrAuto(key, 1);
        }

        /** A warm-up: a step count >= 0, or "auto" (also when absent), returned as null. */
        Long warmup(String key) {
            return stepsOrAuto(key, 0);
        }

        private Long stepsOrAuto(String key, long min) {
            Object raw = values.get(key);
            if (raw == null || AutoResourcePruner.AUTO.equals(raw)) {
                return null;
            }
            String message = "must be an integer >= " + min + " or \"auto\"";
            if (raw instanceof String) {
                errors.add(new FieldError("pruner.options." + key, message));
                return null;
            }
            long before = errors.size();
            long v = integer(key, min, min);
            if (errors.size() > before) {
                FieldError e = errors.removeLast();
                errors.add(new FieldError(e.field(), message));
            }
            return v;
        }

        /** A number option in [low, high]; required when no default. */
        double number(String key, Double fallback, double low, double high) {
            Object raw = values.get(key);
            if (raw == null && fallback != null) {
                return fallback;
            }
            if (!(raw instanceof Number n) || !(n.doubleValue() >= low && n.doubleValue() <= high)) {
                errors.add(new FieldError("pruner.options." + key, (raw == null ? "is required: " : "must be ")
                        + "a number between " + low + " and " + high));
                return low;
            }
            return n.doubleValue();
        }
    }
}
