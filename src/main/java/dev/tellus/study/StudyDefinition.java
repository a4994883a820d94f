package dev.tellus.study;

import dev.tellus.pruning.Pruner;
import dev.tellus.pruning.Pruners;
import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import dev.tellus.space.SearchSpace;
import dev.tellus.history.Direction;
import dev.tellus.strategy.Strategies;
import dev.tellus.strategy.Strategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated study definition: the space, objectives, strategy (built once for the space), pruner, budget
 * and lease settings. {@link #canonical()} is the form that is stored, compared on PUT and shown to clients,
 * with every default filled in.
 */
public final class StudyDefinition {

    public static final int DEFAULT_LEASE_SECONDS = 600;
    public static final int MAX_LEASE_SECONDS = 7 * 24 * 3600;
    public static final int MAX_RETRIES = 100;
    public static final int MAX_OBJECTIVES = 16;
    public static final int MAX_CONSTRAINTS = 16;
    private static final Pattern OBJECTIVE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final SearchSpace space;
    private final List<Objective> objectives;
    private final List<String> constraints;
    private final String strategyName;
    private final Long seed;
    private final Map<String, Object> strategyOptions;
    private final String prunerName;
    private final Map<String, Object> prunerOptions;
    private final Integer maxTrials;
    private final int leaseSeconds;
    private final int maxRetries;
    private final Map<String, Object> metadata;
    private final Strategy strategy;
    private final Pruner pruner;

    private StudyDefinition(SearchSpace space, List<Objective> objectives, List<String> constraints,
                            String strategyName, Long seed,
                            Map<String, Object> strategyOptions, String prunerName, Map<String, Object> prunerOptions,
                            Integer maxTrials, int leaseSeconds, int maxRetries, Map<String, Object> metadata,
                            Strategy strategy, Pruner pruner) {
        this.space = space;
        this.objectives = objectives;
        this.constraints = constraints;
        this.strategyName = strategyName;
        this.seed = seed;
        this.strategyOptions = strategyOptions;
        this.prunerName = prunerName;
        this.prunerOptions = prunerOptions;
        this.maxTrials = maxTrials;
        this.leaseSeconds = leaseSeconds;
        this.maxRetries = maxRetries;
        this.metadata = metadata;
        this.strategy = strategy;
        this.pruner = pruner;
    }

    /**
     * Validates the request of a new study: as {@link #from}, and a strategy that optimises one objective is
     * refused for several objectives (stored definitions are read with {@link #from}, so older studies still load).
     */
    public static StudyDefinition forNewStudy(StudyRequest request) {
        StudyDefinition definition = from(request);
        Strategies.checkObjectives(definition.strategyName, definition.objectives.size());
        return definition;
    }

    /** Validates a request, reporting every bad field at once. */
    public static StudyDefinition from(StudyRequest request) {
        var errors = new ArrayList<FieldError>();
        SearchSpace space = null;
        try {
            space = SearchSpace.parse(request.space());
        } catch (InvalidDefinition e) {
            errors.addAll(e.errors());
        }

        var objectives = new ArrayList<Objective>();
        if (request.objectives() == null) {
            objectives.add(new Objective("value", Direction.MINIMIZE));
        } else if (request.objectives().isEmpty() || request.objectives().size() > MAX_OBJECTIVES) {
            errors.add(new FieldError("objectives", "must list 1 to " + MAX_OBJECTIVES + " objectives"));
        } else {
            var names = new HashSet<String>();
            for (int i = 0; i < request.objectives().size(); i++) {
                var o = request.objectives().get(i);
                String at = "objectives[" + i + "]";
                if (o == null) {
                    errors.add(new FieldError(at, "must be an object with a name and a direction"));
                    continue;
                }
                String name = o.name() == null ? "value" : o.name();
                if (!OBJECTIVE_NAME.matcher(name).matches()) {
                    errors.add(new FieldError(at + ".name", "must match [A-Za-z0-9._-]{1,128}"));
                } else if (!names.add(name)) {
                    errors.add(new FieldError(at + ".name", "duplicates an earlier objective"));
                }
                Direction direction = Direction.MINIMIZE;
                if (o.direction() != null) {
                    switch (o.direction()) {
                        case "minimize" -> direction = Direction.MINIMIZE;
                        case "maximize" -> direction = Direction.MAXIMIZE;
                        default -> errors.add(new FieldError(at + ".direction", "must be minimize or maximize"));
                    }
                }
                if (o.reference() != null && !Double.isFinite(o.reference())) {
                    errors.add(new FieldError(at + ".reference", "must be a finite number"));
                }
                objectives.add(new Objective(name, direction, o.reference()));
            }
            long references = objectives.stream().filter(o -> o.reference() != null).count();
            if (references > 0 && references < objectives.size()) {
                errors.add(new FieldError("objectives", "give a reference for every objective or for none"));
            }
        }

        var constraints = new ArrayList<String>();
        if (request.constraints() != null) {
            if (request.constraints().size() > MAX_CONSTRAINTS) {
                errors.add(new FieldError("constraints", "must list at most " + MAX_CONSTRAINTS + " constraints"));
            }
            var taken = new HashSet<String>();
            objectives.forEach(o -> taken.add(o.name()));
            if (space != null) {
                space.parameters().forEach(p -> taken.add(p.name()));
            }
            for (int i = 0; i < request.constraints().size(); i++) {
                var c = request.constraints().get(i);
                String at = "constraints[" + i + "].name";
                if (c == null || c.name() == null || !OBJECTIVE_NAME.matcher(c.name()).matches()) {
                    errors.add(new FieldError(at, "must match [A-Za-z0-9._-]{1,128}"));
                } else if (!taken.add(c.name())) {
                    // Constraint names are CSV columns next to parameters and objectives: keep them apart.
                    errors.add(new FieldError(at, "duplicates a parameter, objective or earlier constraint name"));
                } else {
                    constraints.add(c.name());
                }
            }
        }

        var strategySpec = request.strategy();
        String strategyName = strategySpec == null || strategySpec.name() == null ? Strategies.DEFAULT : strategySpec.name();
        Long seed = strategySpec == null ? null : strategySpec.seed();
        Map<String, Object> strategyOptions = strategySpec == null || strategySpec.options() == null
                ? Map.of() : strategySpec.options();
        Strategy strategy = null;
        if (space != null) {
            try {
                strategy = Strategies.create(strategyName, strategyOptions, space);
            } catch (InvalidDefinition e) {
                errors.addAll(e.errors());
            }
        }

        var prunerSpec = request.pruner();
        String prunerName = prunerSpec == null || prunerSpec.name() == null ? "none" : prunerSpec.name();
        Map<String, Object> prunerOptions = prunerSpec == null || prunerSpec.options() == null ? Map.of() : prunerSpec.options();
        Pruner pruner = null;
        try {
            pruner = Pruners.create(prunerName, prunerOptions);
            prunerOptions = pruner.options();
        } catch (InvalidDefinition e) {
            errors.addAll(e.errors());
        }

        if (request.maxTrials() != null && request.maxTrials() < 1) {
            errors.add(new FieldError("maxTrials", "must be at least 1"));
        }
        int lease = request.leaseSeconds() == null ? DEFAULT_LEASE_SECONDS : request.leaseSeconds();
        if (lease < 1 || lease > MAX_LEASE_SECONDS) {
            errors.add(new FieldError("leaseSeconds", "must be between 1 and " + MAX_LEASE_SECONDS));
        }
        int retries = request.maxRetries() == null ? 0 : request.maxRetries();
        if (retries < 0 || retries > MAX_RETRIES) {
            errors.add(new FieldError("maxRetries", "must be between 0 and " + MAX_RETRIES));
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        return new StudyDefinition(space, List.copyOf(objectives), List.copyOf(constraints), strategyName, seed, strategyOptions, prunerName,
                prunerOptions, request.maxTrials(), lease, retries,
                request.metadata() == null ? Map.of() : request.metadata(), strategy, pruner);
    }

    /** The definition with defaults filled in, as stored and shown. */
    public Map<String, Object> canonical() {
        var out = new LinkedHashMap<String, Object>();
        out.put("space", space.describe());
        out.put("objectives", objectives.stream().map(o -> {
            var objective = new LinkedHashMap<String, Object>();
            objective.put("name", o.name());
            objective.put("direction", o.direction().name().toLowerCase(Locale.ROOT));
            if (o.reference() != null) {
                objective.put("reference", o.reference());
            }
            return objective;
        }).toList());
        // Only when declared, so definitions stored before constraints existed still compare equal on PUT.
        if (!constraints.isEmpty()) {
            out.put("constraints", constraints.stream().map(c -> Map.of("name", c)).toList());
        }
        var strategyOut = new LinkedHashMap<String, Object>();
        strategyOut.put("name", strategyName);
        strategyOut.put("seed", seed);
        strategyOut.put("options", strategyOptions);
        out.put("strategy", strategyOut);
        var prunerOut = new LinkedHashMap<String, Object>();
        prunerOut.put("name", prunerName);
        prunerOut.put("options", prunerOptions);
        out.put("pruner", prunerOut);
        out.put("maxTrials", maxTrials);
        out.put("leaseSeconds", leaseSeconds);
        out.put("maxRetries", maxRetries);
        out.put("metadata", metadata);
        return out;
    }

    public SearchSpace space() {
        return space;
    }

    public List<Objective> objectives() {
        return objectives;
    }

    /** The names of the declared constraints, in order (empty when none). */
    public List<String> constraints() {
        return constraints;
    }

    /** The reference point of the hypervolume, or null when the objectives give none. */
    public double[] reference() {
        if (objectives.get(0).reference() == null) {
            return null;
        }
        return objectives.stream().mapToDouble(Objective::reference).toArray();
    }

    public List<Direction> directions() {
        return objectives.stream().map(Objective::direction).toList();
    }

    public Strategy strategy() {
        return strategy;
    }

    /** The study's pruner, built once from its canonical options. */
    public Pruner pruner() {
        return pruner;
    }

    public String strategyName() {
        return strategyName;
    }

    public String prunerName() {
        return prunerName;
    }

    /** The seed the client gave, or null (then the study draws one at creation). */
    public Long seed() {
        return seed;
    }

    public Integer maxTrials() {
        return maxTrials;
    }

    public int leaseSeconds() {
        return leaseSeconds;
    }

    public int maxRetries() {
        return maxRetries;
    }
}
