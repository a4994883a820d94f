package dev.tellus.dashboard;

import dev.tellus.analysis.Downsampling;
import dev.tellus.analysis.ParameterImportance;
import dev.tellus.analysis.ParetoRanks;
import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.Parameter;
import dev.tellus.history.Direction;
import dev.tellus.study.Objective;
import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyResponse;
import dev.tellus.study.TrialSummaries;
import dev.tellus.web.InvalidRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the study page draws, computed next to the data: each query reads only the columns it needs, and every
 * series is downsampled here so the browser never receives 50,000 points per plot.
 */
@Service
class StudyAnalysis {

    static final int HISTORY_POINTS = 2000;
    static final int MARKERS = 500;
    static final int CLOUD_POINTS = 1000;
    static final int CLOUD_BEST = 100;
    static final int CURVES = 60;
    static final int CURVE_BEST = 20;
    static final int CURVE_STEPS = 200;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final StudyLookup lookup;
    private final StudySnapshots snapshots;
    private final TrialSummaries trialSummaries;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Map<String, ParameterImportance.Estimate> importanceCache = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ParameterImportance.Estimate> eldest) {
                    return size() > 64;
                }
            });

    private final Map<String, Computed> latestImportance = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Computed> eldest) {
                    return size() > 64;
                }
            });
    private final Set<String> importanceRunning = ConcurrentHashMap.newKeySet();

    StudyAnalysis(StudyLookup lookup, StudySnapshots snapshots, TrialSummaries trialSummaries, JdbcClient jdbc,
                  JsonMapper json) {
        this.lookup = lookup;
        this.snapshots = snapshots;
        this.trialSummaries = trialSummaries;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The index of the named objective (the first when no name is given); an unknown name is a 400. */
    static int objectiveIndex(StudyDefinition definition, String objective) {
        if (objective == null || objective.isEmpty()) {
            return 0;
        }
        List<Objective> objectives = definition.objectives();
        for (int i = 0; i < objectives.size(); i++) {
            if (objectives.get(i).name().equals(objective)) {
                return i;
            }
        }
        throw new InvalidRequest("objective", "is not an objective of this study: one of "
                + objectives.stream().map(Objective::name).toList());
    }

    /**
     * An importance estimate, the objective it is for, and how many completed trials the study had when it was
     * computed; {@code current} is false when it is an earlier estimate answered while the current one computes.
     */
    record Importance(String objective, ParameterImportance.Estimate estimate, long completed, boolean current) {
    }

    /** The last estimate computed per study and objective, whatever the number of trials then. */
    private record Computed(long completed, ParameterImportance.Estimate estimate) {
    }

    /**
     * Each parameter's importance on the current completed trials. With {@code staleAllowed} and an earlier estimate
     * of this study and objective at hand, that one is answered at once (marked not current) while the current one
     * is computed in the background, for the next request.
     */
    @Transactional(readOnly = true)
    public Importance importance(long projectId, String name, String objective, boolean staleAllowed) {
        StudyLookup.Found found = lookup.find(projectId, name);
        int k = objectiveIndex(found.definition(), objective);
        long completed = snapshots.current(found.id(), found.definition().objectives().size()).completed;
        // Finished trials never change their values, so the count identifies the set (ids are never reused).
        String key = found.id() + "/" + k + "/" + completed;
        String objectiveName = found.definition().objectives().get(k).name();
        ParameterImportance.Estimate cached = importanceCache.get(key);
        if (cached != null) {
            return new Importance(objectiveName, cached, completed, true);
        }
        String study = found.id() + "/" + k;
        Computed last = staleAllowed ? latestImportance.get(study) : null;
        if (last != null) {
            if (importanceRunning.add(study)) {
                Thread.ofVirtual().name("importance-" + study).start(() -> {
                    try {
                        computeImportance(found, k, completed);
                    } catch (RuntimeException e) {
                        // The next request computes it again (or answers the earlier estimate again).
                    } finally {
                        importanceRunning.remove(study);
                    }
                });
            }
            return new Importance(objectiveName, last.estimate(), last.completed(), false);
        }
        return new Importance(objectiveName, computeImportance(found, k, completed), completed, true);
    }

    private ParameterImportance.Estimate computeImportance(StudyLookup.Found found, int k, long completed) {
        // A deterministic sample of at most MAX_TRIALS: ordered by a hash of the number, not by recency.
        var samples = jdbc.sql("""
                        select params::text as params, objective_values[:k] as v from trial
                        where study_id = :id and state = 'COMPLETED' and objective_values[:k] is not null
                        order by md5(number::text) limit :limit""")
                .param("id", found.id()).param("k", k + 1).param("limit", ParameterImportance.MAX_TRIALS)
                .query((rs, i) -> new ParameterImportance.Sample(json.readValue(rs.getString("params"), MAP),
                        rs.getDouble("v")))
                .list();
        var estimate = ParameterImportance.estimate(found.definition().space(), samples);
        importanceCache.put(found.id() + "/" + k + "/" + completed, estimate);
        latestImportance.merge(found.id() + "/" + k, new Computed(completed, estimate),
                (was, now) -> now.completed() >= was.completed() ? now : was);
        return estimate;
    }

    /**
     * The study as {@code GET /studies/{name}} shows it, with its counts taken from the snapshot of finished trials
     * (no count over the study's rows), and the first objective's history: all the study page needs for its header
     * and first plot, in one request. The page polls it without the history.
     */
    @Transactional(readOnly = true)
    public Summaries.Overview overview(long projectId, String name, boolean withHistory) {
        StudyLookup.Found found = lookup.find(projectId, name);
        StudyDefinition definition = found.definition();
        Study study = found.study();
        StudySnapshots.Snapshot snapshot = snapshots.current(found.id(), definition.objectives().size());
        // The best trial and the front's hypervolume only change when a trial finishes: kept with the snapshot.
        Optional<Object> best = snapshot.derive("best", x -> Optional.ofNullable(trialSummaries.best(study, definition)));
        Optional<Double> hypervolume = snapshot.derive("hypervolume",
                x -> Optional.ofNullable(trialSummaries.hypervolume(study, definition)));
        Map<String, Object> c = definition.canonical();
        @SuppressWarnings("unchecked")
        var view = new StudyResponse(study.name(), (Map<String, Object>) c.get("space"),
                (List<Object>) c.get("objectives"), (List<Object>) c.getOrDefault("constraints", List.of()),
                (Map<String, Object>) c.get("strategy"), (Map<String, Object>) c.get("pruner"),
                definition.maxTrials(), definition.leaseSeconds(), definition.maxRetries(),
                (Map<String, Object>) c.get("metadata"), study.state(), study.createdAt(), snapshot.counts(),
                best.orElse(null), hypervolume.orElse(null));
        Objective first = definition.objectives().get(0);
        Summaries.History history = withHistory
                ? snapshot.derive("history/0/" + HISTORY_POINTS, x -> history(x, first, 0, HISTORY_POINTS)) : null;
        return new Summaries.Overview(view, history);
    }

    @Transactional(readOnly = true)
    public Summaries.History history(long projectId, String name, String objective, int budget) {
        StudyLookup.Found found = lookup.find(projectId, name);
        int k = objectiveIndex(found.definition(), objective);
        Objective o = found.definition().objectives().get(k);
        StudySnapshots.Snapshot snapshot = snapshots.current(found.id(), found.definition().objectives().size());
        return snapshot.derive("history/" + k + "/" + budget, x -> history(x, o, k, budget));
    }

    /** The history of objective k from a snapshot of the finished trials. */
    static Summaries.History history(StudySnapshots.Snapshot snapshot, Objective o, int k, int budget) {
        var numbers = new ArrayList<Long>();
        var losses = new ArrayList<Double>();
        var pruned = new ArrayList<Long>();
        var failed = new ArrayList<Long>();
        double[] column = snapshot.values[k];
        for (int i = 0; i < snapshot.size(); i++) {
            switch (snapshot.states[i]) {
                case StudySnapshots.COMPLETED -> {
                    if (!Double.isNaN(column[i])) {
                        numbers.add(snapshot.numbers[i]);
                        losses.add(o.direction().toLoss(column[i]));
                    }
                }
                case StudySnapshots.PRUNED -> pruned.add(snapshot.numbers[i]);
                default -> failed.add(snapshot.numbers[i]);
            }
        }
        double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
        int[] kept = Downsampling.history(l, budget);
        var keptNumbers = new ArrayList<Long>(kept.length);
        var keptValues = new ArrayList<Double>(kept.length);
        for (int i : kept) {
            keptNumbers.add(numbers.get(i));
            keptValues.add(o.direction().toLoss(l[i]));
        }
        List<Long> prunedShown = pick(pruned, Downsampling.evenly(pruned.size(), MARKERS));
        List<Long> failedShown = pick(failed, Downsampling.evenly(failed.size(), MARKERS));
        boolean downsampled = kept.length < l.length || prunedShown.size() < pruned.size()
                || failedShown.size() < failed.size();
        return new Summaries.History(o.name(), direction(o), numbers.size(), kept.length, downsampled, keptNumbers,
                keptValues, prunedShown, pruned.size(), failedShown, failed.size());
    }

    @Transactional(readOnly = true)
    public Summaries.Points points(long projectId, String name, int budget) {
        StudyLookup.Found found = lookup.find(projectId, name);
        StudyDefinition definition = found.definition();
        int m = definition.objectives().size();
        StudySnapshots.Snapshot snapshot = snapshots.current(found.id(), m);
        return snapshot.derive("points/" + budget, x -> points(x, found.id(), definition, budget));
    }

    private Summaries.Points points(StudySnapshots.Snapshot snapshot, long studyId, StudyDefinition definition, int budget) {
        int m = definition.objectives().size();
        var numbers = new ArrayList<Long>();
        var values = new ArrayList<double[]>();
        rows:
        for (int i = 0; i < snapshot.size(); i++) {
            if (snapshot.states[i] != StudySnapshots.COMPLETED) {
                continue;
            }
            double[] v = new double[m];
            for (int j = 0; j < m; j++) {
                v[j] = snapshot.values[j][i];
                if (Double.isNaN(v[j])) {
                    continue rows;
                }
            }
            numbers.add(snapshot.numbers[i]);
            values.add(v);
        }
        int n = numbers.size();
        List<Direction> directions = definition.directions();
        double[][] losses = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                losses[i][j] = directions.get(j).toLoss(values.get(i)[j]);
            }
        }
        boolean[] front;
        int[] kept;
        if (m == 1) {
            double[] first = new double[n];
            for (int i = 0; i < n; i++) {
                first[i] = losses[i][0];
            }
            kept = Downsampling.bestAndSample(first, CLOUD_BEST, budget);
            front = new boolean[n];
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (best < 0 || first[i] < first[best]) {
                    best = i;
                }
            }
            if (best >= 0) {
                front[best] = true;
            }
        } else {
            front = ParetoRanks.front(losses);
            // The whole front is kept, then an even sample of the dominated trials.
            double[] rank = new double[n];
            for (int i = 0; i < n; i++) {
                rank[i] = front[i] ? 0 : 1;
            }
            int frontSize = 0;
            for (boolean f : front) {
                frontSize += f ? 1 : 0;
            }
            kept = Downsampling.bestAndSample(rank, frontSize, budget);
        }
        var keptNumbers = new ArrayList<Long>(kept.length);
        var keptValues = new ArrayList<List<Double>>(m);
        for (int j = 0; j < m; j++) {
            keptValues.add(new ArrayList<>(kept.length));
        }
        var keptFront = new ArrayList<Boolean>(kept.length);
        for (int i : kept) {
            keptNumbers.add(numbers.get(i));
            for (int j = 0; j < m; j++) {
                keptValues.get(j).add(values.get(i)[j]);
            }
            keptFront.add(front[i]);
        }
        Map<Long, Map<String, Object>> params = params(studyId, keptNumbers);
        var columns = new LinkedHashMap<String, List<Object>>();
        for (Parameter p : definition.space().parameters()) {
            var column = new ArrayList<Object>(kept.length);
            for (Long number : keptNumbers) {
                column.add(params.getOrDefault(number, Map.of()).get(p.name()));
            }
            columns.put(p.name(), column);
        }
        return new Summaries.Points(objectives(definition), parameters(definition), n, kept.length, kept.length < n,
                m == 1 ? Math.min(CLOUD_BEST, n) : keptFront.stream().mapToInt(f -> f ? 1 : 0).sum(),
                keptNumbers, columns, keptValues, keptFront);
    }

    @Transactional(readOnly = true)
    public Summaries.Intermediate intermediate(long projectId, String name, int budget) {
        StudyLookup.Found found = lookup.find(projectId, name);
        Direction direction = found.definition().directions().get(0);
        // Trials that reported: the best completed ones first, then an even sample of the rest (pruned included).
        StudySnapshots.Snapshot snapshot = snapshots.current(found.id(), found.definition().objectives().size());
        // Running trials report without moving the stamp: while any runs, the curves are re-read every 5 s.
        String key = "intermediate/" + budget + (snapshot.stamp.running() > 0 ? "/" + System.currentTimeMillis() / 5000 : "");
        return snapshot.derive(key, x -> intermediate(x, found.id(), direction, budget));
    }

    private Summaries.Intermediate intermediate(StudySnapshots.Snapshot snapshot, long studyId, Direction direction,
                                                int budget) {
        var numbers = new ArrayList<Long>();
        var states = new ArrayList<String>();
        var losses = new ArrayList<Double>();
        // The trials that reported, one index probe per trial (a loose scan of the primary key), not one row per
        // reported value; their state and value come from the snapshot (a trial not in it is still running).
        jdbc.sql("""
                        with recursive reported(number) as (
                            (select number from intermediate_value where study_id = :id order by number limit 1)
                            union all
                            select (select i.number from intermediate_value i
                                    where i.study_id = :id and i.number > r.number order by i.number limit 1)
                            from reported r where r.number is not null)
                        select number from reported where number is not null""")
                .param("id", studyId)
                .query(rs -> {
                    long number = rs.getLong(1);
                    int i = java.util.Arrays.binarySearch(snapshot.numbers, number);
                    numbers.add(number);
                    if (i < 0) {
                        states.add("RUNNING");
                        losses.add(Double.MAX_VALUE);
                        return;
                    }
                    byte state = snapshot.states[i];
                    double v = snapshot.values[0][i];
                    states.add(state == StudySnapshots.COMPLETED ? "COMPLETED" : state == StudySnapshots.PRUNED ? "PRUNED" : "FAILED");
                    // Pruned, running and failed trials rank after every completed one but are still sampled.
                    losses.add(state != StudySnapshots.COMPLETED || Double.isNaN(v) ? Double.MAX_VALUE : direction.toLoss(v));
                });
        double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
        int[] kept = Downsampling.bestAndSample(l, CURVE_BEST, budget);
        var chosen = new ArrayList<Long>(kept.length);
        var stateOf = new HashMap<Long, String>();
        for (int i : kept) {
            chosen.add(numbers.get(i));
            stateOf.put(numbers.get(i), states.get(i));
        }
        var steps = new LinkedHashMap<Long, List<long[]>>();
        var stepValues = new HashMap<Long, List<Double>>();
        jdbc.sql("""
                        select number, step, value from intermediate_value
                        where study_id = :id and number = any(:numbers) order by number, step""")
                .param("id", studyId).param("numbers", chosen.toArray(Long[]::new))
                .query(rs -> {
                    long number = rs.getLong(1);
                    steps.computeIfAbsent(number, x -> new ArrayList<>()).add(new long[]{rs.getLong(2)});
                    stepValues.computeIfAbsent(number, x -> new ArrayList<>()).add(rs.getDouble(3));
                });
        var curves = new ArrayList<Summaries.Curve>();
        boolean thinned = false;
        for (var entry : steps.entrySet()) {
            List<long[]> s = entry.getValue();
            List<Double> v = stepValues.get(entry.getKey());
            int[] keep = Downsampling.evenly(s.size(), CURVE_STEPS);
            thinned |= keep.length < s.size();
            var cs = new ArrayList<Long>(keep.length);
            var cv = new ArrayList<Double>(keep.length);
            for (int i : keep) {
                cs.add(s.get(i)[0]);
                cv.add(v.get(i));
            }
            curves.add(new Summaries.Curve(entry.getKey(), stateOf.get(entry.getKey()), cs, cv));
        }
        return new Summaries.Intermediate(numbers.size(), curves.size(), thinned || curves.size() < numbers.size(),
                CURVE_STEPS, curves);
    }

    /** Params of the given trials, parsed, by number. */
    private Map<Long, Map<String, Object>> params(long studyId, List<Long> numbers) {
        var out = new HashMap<Long, Map<String, Object>>();
        if (numbers.isEmpty()) {
            return out;
        }
        jdbc.sql("select number, params::text from trial where study_id = :id and number = any(:numbers)")
                .param("id", studyId).param("numbers", numbers.toArray(Long[]::new))
                .query(rs -> {
                    out.put(rs.getLong(1), json.readValue(rs.getString(2), MAP));
                });
        return out;
    }

    static List<Summaries.ObjectiveView> objectives(StudyDefinition definition) {
        return definition.objectives().stream().map(o -> new Summaries.ObjectiveView(o.name(), direction(o))).toList();
    }

    /** Each parameter as the charts need it: name, type, bounds or choices, log scale. */
    static List<Map<String, Object>> parameters(StudyDefinition definition) {
        var out = new ArrayList<Map<String, Object>>();
        for (Parameter p : definition.space().parameters()) {
            var view = new LinkedHashMap<String, Object>();
            view.put("name", p.name());
            view.putAll(p.describe());
            view.put("conditional", !p.when().isAlways());
            view.remove("when");
            out.add(view);
        }
        return out;
    }

    static String direction(Objective o) {
        return o.direction().name().toLowerCase(Locale.ROOT);
    }

    static boolean numeric(Parameter p) {
        return p instanceof FloatParameter || p instanceof IntParameter;
    }

    static boolean categorical(Parameter p) {
        return p instanceof CategoricalParameter;
    }

    private static <T> List<T> pick(List<T> all, int[] indices) {
        var out = new ArrayList<T>(indices.length);
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }

    static double[] doubles(Array array) throws SQLException {
        if (array == null) {
            return new double[0];
        }
        Object[] boxed = (Object[]) array.getArray();
        double[] out = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = boxed[i] == null ? Double.NaN : ((Number) boxed[i]).doubleValue();
        }
        return out;
    }

    static List<Double> doubleList(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return null;
        }
        var out = new ArrayList<Double>();
        for (double d : doubles(array)) {
            out.add(d);
        }
        return out;
    }
}
