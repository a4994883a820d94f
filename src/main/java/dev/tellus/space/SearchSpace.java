package dev.tellus.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of a study, in the order the client gave them. Conditional parameters ({@code when}) may
 * refer to categorical parameters defined anywhere in the space, as long as the references form no cycle;
 * activity is evaluated parents first ({@link #evaluationOrder()}).
 */
public final class SearchSpace {

    public static final int MAX_PARAMETERS = 1000;
    public static final int MAX_CHOICES = 10_000;
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_STRING_CHOICE_LENGTH = 1024;
    /** Integers beyond 2^53 cannot travel through JSON doubles exactly. */
    public static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992.0;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName;
    private final List<Parameter> evaluationOrder;

    private SearchSpace(List<Parameter> parameters, List<Parameter> evaluationOrder) {
        this.parameters = List.copyOf(parameters);
        this.evaluationOrder = List.copyOf(evaluationOrder);
        var map = new LinkedHashMap<String, Parameter>();
        for (Parameter p : parameters) {
            map.put(p.name(), p);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** Builds a space from already valid parameters (tests and strategies); throws if they are not. */
    public static SearchSpace of(Parameter... parameters) {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        for (Parameter p : parameters) {
            specs.put(p.name(), toSpec(p));
        }
        return parse(specs);
    }

    /** Validates a client's definition; every problem found is reported, each under {@code space.<name>.<field>}. */
    public static SearchSpace parse(Map<String, ParameterSpec> specs) {
        var errors = new ArrayList<FieldError>();
        if (specs == null || specs.isEmpty()) {
            throw new InvalidDefinition("space", "must define at least one parameter");
        }
        if (specs.size() > MAX_PARAMETERS) {
            throw new InvalidDefinition("space", "must define at most " + MAX_PARAMETERS + " parameters, not " + specs.size());
        }
        var parsed = new ArrayList<Parameter>();
        for (var entry : specs.entrySet()) {
            String name = entry.getKey();
            String field = "space." + name;
            if (!NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "parameter names must match [A-Za-z0-9._-]{1,128}"));
                continue;
            }
            if (entry.getValue() == null) {
                errors.add(new FieldError(field, "must be an object with a type"));
                continue;
            }
            Parameter p = parseOne(name, entry.getValue(), errors);
            if (p != null) {
                parsed.add(p);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        List<Parameter> order = checkConditions(parsed, errors);
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        return new SearchSpace(parsed, order);
    }

    private static Parameter parseOne(String name, ParameterSpec spec, List<FieldError> errors) {
        String field = "space." + name;
        int before = errors.size();
        Condition when = parseWhen(field, spec.when(), errors);
        if (spec.type() == null) {
            errors.add(new FieldError(field + ".type", "is required: float, int or categorical"));
            return null;
        }
        switch (spec.type()) {
            case "float" -> {
                rejectPresent(field, "choices", spec.choices(), errors);
                Double low = requireFinite(field + ".low", spec.low(), errors);
                Double high = requireFinite(field + ".high", spec.high(), errors);
                boolean log = Boolean.TRUE.equals(spec.log());
                Double step = spec.step();
                if (low != null && high != null && !(low < high)) {
                    errors.add(new FieldError(field + ".high", "must be greater than low"));
                }
                if (log && low != null && low <= 0) {
                    errors.add(new FieldError(field + ".low", "must be > 0 when log is true"));
                }
                if (step != null) {
                    if (!Double.isFinite(step) || step <= 0) {
                        errors.add(new FieldError(field + ".step", "must be a positive number"));
                    } else if (log) {
                        errors.add(new FieldError(field + ".step", "cannot be combined with log"));
                    } else if (low != null && high != null && low < high) {
                        double k = (high - low) / step;
                        if (Math.abs(k - Math.rint(k)) > FloatParameter.STEP_TOLERANCE * Math.max(1.0, k)) {
                            errors.add(new FieldError(field + ".step", "high - low must be a whole multiple of step"));
                        } else if (k > MAX_EXACT_INTEGER) {
                            errors.add(new FieldError(field + ".step", "is too small for the range"));
                        }
                    }
                }
                if (errors.size() > before) {
                    return null;
                }
                return new FloatParameter(name, low, high, log, step, when);
            }
            case "int" -> {
                rejectPresent(field, "choices", spec.choices(), errors);
                Long low = requireInteger(field + ".low", spec.low(), errors);
                Long high = requireInteger(field + ".high", spec.high(), errors);
                boolean log = Boolean.TRUE.equals(spec.log());
                long step = 1;
                if (spec.step() != null) {
                    Long s = requireInteger(field + ".step", spec.step(), errors);
                    if (s != null && s < 1) {
                        errors.add(new FieldError(field + ".step", "must be a positive integer"));
                    } else if (s != null) {
                        step = s;
                    }
                }
                if (low != null && high != null && low > high) {
                    errors.add(new FieldError(field + ".high", "must be greater than or equal to low"));
                }
                if (log && low != null && low < 1) {
                    errors.add(new FieldError(field + ".low", "must be >= 1 when log is true"));
                }
                if (log && step != 1) {
                    errors.add(new FieldError(field + ".step", "cannot be combined with log"));
                }
                if (low != null && high != null && low <= high && step >= 1 && (high - low) % step != 0) {
                    errors.add(new FieldError(field + ".step", "high - low must be a whole multiple of step"));
                }
                if (errors.size() > before) {
                    return null;
                }
                return new IntParameter(name, low, high, log, step, when);
            }
            case "categorical" -> {
                rejectPresent(field, "low", spec.low(), errors);
                rejectPresent(field, "high", spec.high(), errors);
                rejectPresent(field, "log", spec.log(), errors);
                rejectPresent(field, "step", spec.step(), errors);
                List<Object> choices = parseChoices(field + ".choices", spec.choices(), errors);
                if (errors.size() > before) {
                    return null;
                }
                return new CategoricalParameter(name, choices, when);
            }
            default -> {
                errors.add(new FieldError(field + ".type", "must be float, int or categorical, not '" + spec.type() + "'"));
                return null;
            }
        }
    }

    private static List<Object> parseChoices(String field, List<Object> raw, List<FieldError> errors) {
        if (raw == null || raw.isEmpty()) {
            errors.add(new FieldError(field, "must list at least one choice"));
            return List.of();
        }
        if (raw.size() > MAX_CHOICES) {
            errors.add(new FieldError(field, "must list at most " + MAX_CHOICES + " choices, not " + raw.size()));
            return List.of();
        }
        var out = new ArrayList<Object>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Object c = Choices.normalise(raw.get(i));
            String at = field + "[" + i + "]";
            if (c == null) {
                errors.add(new FieldError(at, "must be a string, number or boolean"));
                continue;
            }
            if (c instanceof Double d && !Double.isFinite(d)) {
                errors.add(new FieldError(at, "must be a finite number"));
                continue;
            }
            if (c instanceof String s && s.length() > MAX_STRING_CHOICE_LENGTH) {
                errors.add(new FieldError(at, "must be at most " + MAX_STRING_CHOICE_LENGTH + " characters"));
                continue;
            }
            if (c instanceof String s && s.indexOf('\u0000') >= 0) {
                // PostgreSQL's jsonb cannot hold U+0000: such a choice could never be stored in a trial.
                errors.add(new FieldError(at, "must not contain the NUL character (U+0000)"));
                continue;
            }
            for (Object earlier : out) {
                if (Choices.same(earlier, c)) {
                    errors.add(new FieldError(at, "duplicates an earlier choice: " + c));
                    break;
                }
            }
            out.add(c);
        }
        return out;
    }

    private static Condition parseWhen(String field, Map<String, List<Object>> when, List<FieldError> errors) {
        if (when == null || when.isEmpty()) {
            return Condition.ALWAYS;
        }
        var requirements = new LinkedHashMap<String, List<Object>>();
        for (var e : when.entrySet()) {
            String at = field + ".when." + e.getKey();
            if (e.getValue() == null || e.getValue().isEmpty()) {
                errors.add(new FieldError(at, "must list at least one allowed choice"));
                continue;
            }
            var allowed = new ArrayList<Object>();
            for (Object raw : e.getValue()) {
                Object c = Choices.normalise(raw);
                if (c == null) {
                    errors.add(new FieldError(at, "must list choices of '" + e.getKey() + "' (JSON scalars)"));
                } else {
                    allowed.add(c);
                }
            }
            requirements.put(e.getKey(), allowed);
        }
        return new Condition(requirements);
    }

    /** Checks that conditions name earlier-or-later categorical parents with valid choices, without cycles. */
    private static List<Parameter> checkConditions(List<Parameter> parameters, List<FieldError> errors) {
        var byName = new HashMap<String, Parameter>();
        for (Parameter p : parameters) {
            byName.put(p.name(), p);
        }
        for (Parameter p : parameters) {
            for (var req : p.when().requirements().entrySet()) {
                String at = "space." + p.name() + ".when." + req.getKey();
                Parameter parent = byName.get(req.getKey());
                if (parent == null) {
                    errors.add(new FieldError(at, "refers to no parameter of this space"));
                } else if (parent == p) {
                    errors.add(new FieldError(at, "a parameter cannot depend on itself"));
                } else if (!(parent instanceof CategoricalParameter cat)) {
                    errors.add(new FieldError(at, "must refer to a categorical parameter"));
                } else {
                    for (Object allowed : req.getValue()) {
                        if (cat.indexOf(allowed) < 0) {
                            errors.add(new FieldError(at, allowed + " is not a choice of '" + cat.name() + "'"));
                        }
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return List.of();
        }
        // Parents before children (depth-first topological sort), reporting a cycle once.
        var order = new ArrayList<Parameter>();
        var done = new HashSet<String>();
        var visiting = new HashSet<String>();
        for (Parameter p : parameters) {
            if (!visit(p, byName, done, visiting, order)) {
                errors.add(new FieldError("space." + p.name() + ".when", "conditions form a cycle"));
                return List.of();
            }
        }
        return order;
    }

    private static boolean visit(Parameter p, Map<String, Parameter> byName, Set<String> done, Set<String> visiting,
                                 List<Parameter> order) {
        if (done.contains(p.name())) {
            return true;
        }
        if (!visiting.add(p.name())) {
            return false;
        }
        for (String parent : p.when().requirements().keySet()) {
            if (!visit(byName.get(parent), byName, done, visiting, order)) {
                return false;
            }
        }
        visiting.remove(p.name());
        done.add(p.name());
        order.add(p);
        return true;
    }

    private static void rejectPresent(String field, String name, Object value, List<FieldError> errors) {
        if (value != null) {
            errors.add(new FieldError(field + "." + name, "does not apply to this type"));
        }
    }

    private static Double requireFinite(String field, Double value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!Double.isFinite(value)) {
            errors.add(new FieldError(field, "must be a finite number"));
            return null;
        }
        return value;
    }

    private static Long requireInteger(String field, Double value, List<FieldError> errors) {
        Double v = requireFinite(field, value, errors);
        if (v == null) {
            return null;
        }
        if (v != Math.rint(v) || Math.abs(v) > MAX_EXACT_INTEGER) {
            errors.add(new FieldError(field, "must be an integer"));
            return null;
        }
        return v.longValue();
    }

    private static ParameterSpec toSpec(Parameter p) {
        Map<String, List<Object>> when = p.when().isAlways() ? null : p.when().requirements();
        return switch (p) {
            case FloatParameter f -> new ParameterSpec("float", f.low(), f.high(), f.log(), f.step(), null, when);
            case IntParameter i -> new ParameterSpec("int", (double) i.low(), (double) i.high(), i.log(), (double) i.step(), null, when);
            case CategoricalParameter c -> new ParameterSpec("categorical", null, null, null, null, c.choices(), when);
        };
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** Parameters with every parent before its children. */
    public List<Parameter> evaluationOrder() {
        return evaluationOrder;
    }

    public Parameter parameter(String name) {
        return byName.get(name);
    }

    public int size() {
        return parameters.size();
    }

    public boolean hasConditions() {
        return evaluationOrder.stream().anyMatch(p -> !p.when().isAlways());
    }

    /**
     * Drops the parameters that are inactive under the given full assignment, and returns the rest in space
     * order. Strategies may sample every parameter and let this decide which ones the trial gets.
     */
    public Map<String, Object> activeOnly(Map<String, Object> assignment) {
        var active = new HashMap<String, Object>();
        for (Parameter p : evaluationOrder) {
            if (p.when().holds(active) && assignment.containsKey(p.name())) {
                active.put(p.name(), assignment.get(p.name()));
            }
        }
        return inSpaceOrder(active);
    }

    /** Whether a parameter is active given the (active) values of the others. */
    public boolean isActive(Parameter p, Map<String, Object> activeValues) {
        return p.when().holds(activeValues);
    }

    /** The same entries, ordered as the space defines its parameters. */
    public Map<String, Object> inSpaceOrder(Map<String, Object> values) {
        var out = new LinkedHashMap<String, Object>();
        for (Parameter p : parameters) {
            if (values.containsKey(p.name())) {
                out.put(p.name(), values.get(p.name()));
            }
        }
        return out;
    }

    /**
     * Validates a client's complete assignment (enqueue, import): every active parameter present and valid,
     * nothing unknown or inactive. Returns the canonical values in space order.
     */
    public Map<String, Object> validateAssignment(Map<String, Object> given, String fieldPrefix) {
        var errors = new ArrayList<FieldError>();
        if (given == null) {
            throw new InvalidDefinition(fieldPrefix, "is required");
        }
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                errors.add(new FieldError(fieldPrefix + "." + name, "is not a parameter of this study"));
            }
        }
        var active = new HashMap<String, Object>();
        for (Parameter p : evaluationOrder) {
            String at = fieldPrefix + "." + p.name();
            boolean isActive = p.when().holds(active);
            boolean present = given.containsKey(p.name()) && given.get(p.name()) != null;
            if (isActive && !present) {
                errors.add(new FieldError(at, "is required"));
            } else if (!isActive && given.containsKey(p.name())) {
                errors.add(new FieldError(at, "is inactive here: it applies only when " + p.when().requirements()));
            } else if (isActive) {
                try {
                    active.put(p.name(), p.canonical(given.get(p.name())));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(at, e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        return inSpaceOrder(active);
    }

    /** The definition as shown back to clients, with defaults filled in, in space order. */
    public Map<String, Object> describe() {
        var out = new LinkedHashMap<String, Object>();
        for (Parameter p : parameters) {
            out.put(p.name(), p.describe());
        }
        return out;
    }
}
