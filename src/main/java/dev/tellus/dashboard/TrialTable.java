package dev.tellus.dashboard;

import dev.tellus.space.FieldError;
import dev.tellus.space.Parameter;
import dev.tellus.history.TrialStatus;
import dev.tellus.study.Objective;
import dev.tellus.study.StudyDefinition;
import dev.tellus.web.InvalidRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The study page's trials table: filtered by state and brushed ranges, sorted by any column, paged by offset.
 * Names from the request are only ever bound as parameters, never spliced into the SQL.
 */
@Service
class TrialTable {

    static final int MAX_ROWS = 200;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final StudyLookup lookup;
    private final StudySnapshots snapshots;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    TrialTable(StudyLookup lookup, StudySnapshots snapshots, JdbcClient jdbc, JsonMapper json) {
        this.lookup = lookup;
        this.snapshots = snapshots;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** How to order: {@code number}, {@code finishedAt}, {@code value:<objective>} or {@code param:<name>}. */
    record Sort(String column, boolean descending) {
    }

    /** The SQL condition and order of a filtered, sorted table, with its bind values. */
    private record Query(StudyDefinition definition, String where, String order, Map<String, Object> binds) {
    }

    private Query query(StudyLookup.Found found, TrialStatus state, TrialFilter filter, Sort sort) {
        StudyDefinition definition = found.definition();
        var binds = new LinkedHashMap<String, Object>();
        binds.put("id", found.id());
        var where = new StringBuilder("study_id = :id");
        if (state != null) {
            where.append(" and state = :state");
            binds.put("state", state.name());
        }
        var errors = new ArrayList<FieldError>();
        int n = 0;
        for (var entry : filter.params().entrySet()) {
            Parameter p = definition.space().parameter(entry.getKey());
            String field = "filter.params." + entry.getKey();
            if (p == null) {
                errors.add(new FieldError(field, "is not a parameter of this study"));
                continue;
            }
            String key = "p" + n;
            binds.put(key, p.name());
            List<Object> allowed = entry.getValue() == null ? List.of() : entry.getValue();
            if (StudyAnalysis.numeric(p)) {
                if (allowed.size() != 2 || !(allowed.get(0) instanceof Number lo) || !(allowed.get(1) instanceof Number hi)) {
                    errors.add(new FieldError(field, "must be [low, high] for a numeric parameter"));
                    continue;
                }
                where.append(" and (params ->> :").append(key).append(")::double precision between :lo")
                        .append(n).append(" and :hi").append(n);
                binds.put("lo" + n, lo.doubleValue());
                binds.put("hi" + n, hi.doubleValue());
            } else {
                var choices = new ArrayList<String>();
                for (Object choice : allowed) {
                    choices.add(json.writeValueAsString(choice));
                }
                where.append(" and (params -> :").append(key).append(")::text = any(:c").append(n).append(")");
                binds.put("c" + n, normalised(choices));
            }
            n++;
        }
        for (var entry : filter.values().entrySet()) {
            String field = "filter.values." + entry.getKey();
            int k = objective(definition, entry.getKey());
            List<Double> range = entry.getValue();
            if (k < 0) {
                errors.add(new FieldError(field, "is not an objective of this study"));
                continue;
            }
            if (range == null || range.size() != 2 || range.get(0) == null || range.get(1) == null) {
                errors.add(new FieldError(field, "must be [low, high]"));
                continue;
            }
            where.append(" and objective_values[").append(k + 1).append("] between :lo").append(n)
                    .append(" and :hi").append(n);
            binds.put("lo" + n, range.get(0));
            binds.put("hi" + n, range.get(1));
            n++;
        }
        String order = orderBy(definition, sort, binds, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new Query(definition, where.toString(), order, binds);
    }

    @Transactional(readOnly = true)
    public Summaries.TrialRows page(long projectId, String name, TrialStatus state, TrialFilter filter, Sort sort,
                                   int offset, int limit) {
        StudyLookup.Found found = lookup.find(projectId, name);
        Query q = query(found, state, filter, sort);
        StudyDefinition definition = q.definition();
        Map<String, Object> binds = q.binds();
        String where = q.where();
        String order = q.order();
        long total;
        if (state == null && filter.params().isEmpty() && filter.values().isEmpty()) {
            // Unfiltered: numbers have no gaps, so the next number is the count (no count over the study's rows).
            total = snapshots.stamp(found.id()).nextNumber();
        } else {
            total = count(where, binds);
        }
        var rows = jdbc.sql("""
                select number, state, params::text as params, objective_values, created_at, finished_at, reason
                from trial where %s order by %s limit :limit offset :offset""".formatted(where, order));
        for (var b : binds.entrySet()) {
            rows = rows.param(b.getKey(), b.getValue());
        }
        List<Summaries.TrialRow> trials = rows.param("limit", limit).param("offset", offset)
                .query((rs, i) -> new Summaries.TrialRow(rs.getLong("number"), rs.getString("state"),
                        definition.space().inSpaceOrder(json.readValue(rs.getString("params"), MAP)),
                        StudyAnalysis.doubleList(rs, "objective_values"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant(),
                        rs.getString("reason")))
                .list();
        return new Summaries.TrialRows(total, offset, limit, trials);
    }

    /**
     * Every trial the table's filter matches (state and brushed ranges), in the table's order, as CSV with the
     * columns of the trials export: number, state, each parameter, each objective, each constraint, then worker,
     * times and reason. The body is opened only once the study is found and the filter is valid.
     */
    @Transactional(readOnly = true)
    public void csv(long projectId, String name, TrialStatus state, TrialFilter filter, Sort sort,
                    java.util.function.Supplier<java.io.PrintWriter> body) {
        StudyLookup.Found found = lookup.find(projectId, name);
        Query q = query(found, state, filter, sort);
        StudyDefinition definition = q.definition();
        var select = jdbc.sql("""
                select number, state, params::text as params, objective_values, constraint_values, worker,
                       created_at, started_at, finished_at, reason
                from trial where %s order by %s""".formatted(q.where(), q.order()));
        for (var b : q.binds().entrySet()) {
            select = select.param(b.getKey(), b.getValue());
        }
        java.io.PrintWriter out = body.get();
        var header = new ArrayList<String>(List.of("number", "state"));
        definition.space().parameters().forEach(p -> header.add(p.name()));
        definition.objectives().forEach(o -> header.add(o.name()));
        header.addAll(definition.constraints());
        header.addAll(List.of("worker", "createdAt", "startedAt", "finishedAt", "reason"));
        csvLine(out, header);
        int m = definition.objectives().size();
        int c = definition.constraints().size();
        select.query(rs -> {
            var cells = new ArrayList<String>();
            cells.add(String.valueOf(rs.getLong("number")));
            cells.add(rs.getString("state"));
            Map<String, Object> params = json.readValue(rs.getString("params"), MAP);
            for (Parameter p : definition.space().parameters()) {
                Object v = params.get(p.name());
                cells.add(v == null ? "" : String.valueOf(v));
            }
            double[] values = StudyAnalysis.doubles(rs.getArray("objective_values"));
            for (int j = 0; j < m; j++) {
                cells.add(j < values.length ? String.valueOf(values[j]) : "");
            }
            double[] constraints = StudyAnalysis.doubles(rs.getArray("constraint_values"));
            for (int j = 0; j < c; j++) {
                cells.add(j < constraints.length ? String.valueOf(constraints[j]) : "");
            }
            cells.add(rs.getString("worker") == null ? "" : rs.getString("worker"));
            for (String t : List.of("created_at", "started_at", "finished_at")) {
                cells.add(rs.getTimestamp(t) == null ? "" : rs.getTimestamp(t).toInstant().toString());
            }
            cells.add(rs.getString("reason") == null ? "" : rs.getString("reason"));
            csvLine(out, cells);
        });
        out.flush();
    }

    private static void csvLine(java.io.PrintWriter out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.print(',');
            }
            String cell = cells.get(i);
            boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0;
            out.print(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        out.print("\r\n");
    }

    private long count(String where, Map<String, Object> binds) {
        var count = jdbc.sql("select count(*) from trial where " + where);
        for (var b : binds.entrySet()) {
            if (!b.getKey().equals("sort")) {
                count = count.param(b.getKey(), b.getValue());
            }
        }
        return count.query(Long.class).single();
    }

    /** A choice's JSON as PostgreSQL prints jsonb ({@code "a"}, {@code 1}, {@code true}); 1.0 and 1 differ there too. */
    private String[] normalised(List<String> choices) {
        return jdbc.sql("select array_agg(c::jsonb::text) from unnest(:choices) as c")
                .param("choices", choices.toArray(String[]::new))
                .query((rs, i) -> (String[]) rs.getArray(1).getArray()).single();
    }

    private static int objective(StudyDefinition definition, String name) {
        List<Objective> objectives = definition.objectives();
        for (int i = 0; i < objectives.size(); i++) {
            if (objectives.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String orderBy(StudyDefinition definition, Sort sort, Map<String, Object> binds,
                                  List<FieldError> errors) {
        String direction = sort.descending() ? " desc nulls last" : " asc nulls last";
        String column = sort.column() == null ? "number" : sort.column();
        String expression;
        if (column.equals("number")) {
            return "number" + (sort.descending() ? " desc" : " asc");
        } else if (column.equals("finishedAt")) {
            expression = "finished_at";
        } else if (column.equals("state")) {
            expression = "state";
        } else if (column.startsWith("value:")) {
            int k = objective(definition, column.substring("value:".length()));
            if (k < 0) {
                errors.add(new FieldError("sort", "names no objective of this study"));
                return "number";
            }
            expression = "objective_values[" + (k + 1) + "]";
        } else if (column.startsWith("param:")) {
            Parameter p = definition.space().parameter(column.substring("param:".length()));
            if (p == null) {
                errors.add(new FieldError("sort", "names no parameter of this study"));
                return "number";
            }
            binds.put("sort", p.name());
            expression = StudyAnalysis.numeric(p) ? "(params ->> :sort)::double precision" : "(params ->> :sort)";
        } else {
            errors.add(new FieldError("sort", "must be number, state, finishedAt, value:<objective> or param:<name>"));
            return "number";
        }
        return expression + direction + ", number asc";
    }
}
