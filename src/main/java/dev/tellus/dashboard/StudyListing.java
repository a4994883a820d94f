package dev.tellus.dashboard;

import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.StudyRequest;
import dev.tellus.study.StudyState;
import dev.tellus.history.Direction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;

/** The dashboard's study list of one project: filtered by name and state, most recently active first, paged by offset. */
@Service
class StudyListing {

    static final int MAX_ROWS = 200;

    private record Listed(long id, Summaries.StudyRow row) {
    }

    private final JdbcClient jdbc;
    private final StudyDefinitions definitions;
    private final JsonMapper json;

    StudyListing(JdbcClient jdbc, StudyDefinitions definitions, JsonMapper json) {
        this.jdbc = jdbc;
        this.definitions = definitions;
        this.json = json;
    }

    /**
     * One pass over the listed studies' trials counts them by state and finds their last activity (the latest
     * creation or finish); the best value of each shown study then comes from the completed-trials index.
     */
    @Transactional(readOnly = true)
    public Summaries.StudyRows page(long projectId, String nameContains, StudyState state, int offset, int limit) {
        String pattern = "%" + (nameContains == null ? "" : nameContains.replace("\\", "\\\\")
                .replace("%", "\\%").replace("_", "\\_")) + "%";
        String where = "s.project_id = :project and s.name ilike :pattern" + (state == null ? "" : " and s.state = :state");
        var count = jdbc.sql("select count(*) from study s where " + where).param("project", projectId)
                .param("pattern", pattern);
        if (state != null) {
            count = count.param("state", state.name());
        }
        long total = count.query(Long.class).single();
        var rows = jdbc.sql("""
                        select s.id, s.name, s.state, s.definition, s.created_at,
                               greatest(s.updated_at, c.last) as last_activity,
                               coalesce(c.waiting, 0) as waiting, coalesce(c.running, 0) as running,
                               coalesce(c.completed, 0) as completed, coalesce(c.pruned, 0) as pruned,
                               coalesce(c.failed, 0) as failed
                        from study s left join lateral (
                            select count(*) filter (where state = 'WAITING') as waiting,
                                   count(*) filter (where state = 'RUNNING') as running,
                                   count(*) filter (where state = 'COMPLETED') as completed,
                                   count(*) filter (where state = 'PRUNED') as pruned,
                                   count(*) filter (where state = 'FAILED') as failed,
                                   max(greatest(created_at, coalesce(finished_at, created_at))) as last
                            from trial t where t.study_id = s.id) c on true
                        where %s
                        order by greatest(s.updated_at, c.last) desc, s.name
                        limit :limit offset :offset""".formatted(where))
                .param("project", projectId).param("pattern", pattern).param("limit", limit).param("offset", offset);
        if (state != null) {
            rows = rows.param("state", state.name());
        }
        List<Listed> studies = rows.query((rs, i) -> {
            long id = rs.getLong("id");
            StudyDefinition definition = definitions.cached(id);
            if (definition == null) {
                definition = StudyDefinition.from(json.readValue(rs.getString("definition"), StudyRequest.class));
            }
            var counts = new LinkedHashMap<String, Long>();
            for (String s : List.of("WAITING", "RUNNING", "COMPLETED", "PRUNED", "FAILED")) {
                counts.put(s, rs.getLong(s.toLowerCase(java.util.Locale.ROOT)));
            }
            Timestamp last = rs.getTimestamp("last_activity");
            return new Listed(id, new Summaries.StudyRow(rs.getString("name"), rs.getString("state"),
                    definition.strategyName(), StudyAnalysis.objectives(definition), counts, null,
                    rs.getTimestamp("created_at").toInstant(), last == null ? null : last.toInstant()));
        }).list();
        var withBest = studies.stream().map(listed -> {
            Summaries.StudyRow row = listed.row();
            if (row.objectives().size() != 1 || row.counts().get("COMPLETED") == 0) {
                return row;
            }
            boolean minimize = row.objectives().get(0).direction().equals(
                    Direction.MINIMIZE.name().toLowerCase(java.util.Locale.ROOT));
            Double best = jdbc.sql("select " + (minimize ? "min" : "max") + """
                            (objective_values[1]) from trial where study_id = :id and state = 'COMPLETED'""")
                    .param("id", listed.id()).query(Double.class).single();
            return new Summaries.StudyRow(row.name(), row.state(), row.strategy(), row.objectives(), row.counts(),
                    best, row.createdAt(), row.lastActivity());
        }).toList();
        return new Summaries.StudyRows(total, offset, limit, withBest);
    }
}
