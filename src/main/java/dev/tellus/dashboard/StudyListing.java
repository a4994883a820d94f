package dev.tellus.dashboard;

import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.StudyRequest;
import dev.tellus.study.StudyState;
import dev.tellus.study.TrialSummaries;
import dev.tellus.history.Direction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/** The dashboard's study list of one project: filtered by name and state, most recently active first, paged by offset. */
@Service
class StudyListing {

    static final int MAX_ROWS = 200;

    private record Listed(long id, Summaries.StudyRow row) {
    }

    private final JdbcClient jdbc;
    private final StudyDefinitions definitions;
    private final TrialSummaries trials;
    private final JsonMapper json;

    StudyListing(JdbcClient jdbc, StudyDefinitions definitions, TrialSummaries trials, JsonMapper json) {
        this.jdbc = jdbc;
        this.trials = trials;
        this.definitions = definitions;
        this.json = json;
    }

    /**
     * The page is chosen by last activity, which costs two index probes per study of the project (its latest
     * trial by number, its latest finish), never a pass over their trials; only the studies on the page then have
     * their trials counted (one statement for the page), and each shown study's best value comes from the
     * completed-trials index.
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
                               greatest(s.updated_at, l.created_at, f.finished_at) as last_activity
                        from study s
                        left join lateral (select t.created_at from trial t where t.study_id = s.id
                                           order by t.number desc limit 1) l on true
                        left join lateral (select t.finished_at from trial t where t.study_id = s.id
                                           and t.finished_at is not null order by t.finished_at desc limit 1) f on true
                        where %s
                        order by greatest(s.updated_at, l.created_at, f.finished_at) desc, s.name
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
            Timestamp last = rs.getTimestamp("last_activity");
            return new Listed(id, new Summaries.StudyRow(rs.getString("name"), rs.getString("state"),
                    definition.strategyName(), StudyAnalysis.objectives(definition), null, null,
                    rs.getTimestamp("created_at").toInstant(), last == null ? null : last.toInstant()));
        }).list();
        Map<Long, Map<String, Long>> counts = trials.counts(studies.stream().map(Listed::id).toList());
        var withBest = studies.stream().map(listed -> {
            Summaries.StudyRow counted = listed.row();
            Summaries.StudyRow row = new Summaries.StudyRow(counted.name(), counted.state(), counted.strategy(),
                    counted.objectives(), counts.get(listed.id()), null, counted.createdAt(), counted.lastActivity());
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
