package dev.tellus.study;

import dev.tellus.web.InvalidRequest;
import dev.tellus.web.QuotaExceeded;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creating, reading, pausing and deleting studies. Every public method is one transaction. */
@Service
public class StudyService {

    /** What study names (and project names, which follow the same rule) must match. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final SecureRandom SEEDS = new SecureRandom();

    private final StudyRepository studies;
    private final StudyDefinitions definitions;
    private final TrialSummaries trials;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    StudyService(StudyRepository studies, StudyDefinitions definitions, TrialSummaries trials, JdbcClient jdbc,
                 JsonMapper json, Clock clock) {
        this.studies = studies;
        this.definitions = definitions;
        this.trials = trials;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** A study and whether this call created it. */
    public record Created(StudyResponse study, boolean created) {
    }

    /**
     * Creates the study, or matches an existing one with the same definition. Concurrent creates of one name
     * resolve to one row: the insert skips on conflict and the loser compares against the winner's definition.
     */
    @Transactional
    public Created create(long projectId, String name, StudyRequest request) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequest("name", "study names must match [A-Za-z0-9._-]{1,128}");
        }
        if (request == null) {
            throw new InvalidRequest("body", "a study definition is required");
        }
        StudyDefinition definition = StudyDefinition.forNewStudy(request);
        String canonical = json.writeValueAsString(definition.canonical());
        long seed = definition.seed() != null ? definition.seed() : SEEDS.nextLong();
        Instant now = clock.instant();
        Optional<Long> inserted = Optional.empty();
        if (studies.findByProjectIdAndName(projectId, name).isEmpty()) {
            checkStudyQuota(projectId);
            inserted = jdbc.sql("""
                            insert into study (project_id, name, definition, state, seed, next_number, created_at, updated_at)
                            values (:project, :name, :definition, 'ACTIVE', :seed, 0, :now, :now)
                            on conflict (project_id, name) do nothing
                            returning id""")
                    .param("project", projectId).param("name", name).param("definition", canonical).param("seed", seed)
                    .param("now", java.sql.Timestamp.from(now))
                    .query(Long.class).optional();
        }
        Study study = studies.findByProjectIdAndName(projectId, name).orElseThrow(() -> new StudyNotFound(name));
        if (inserted.isPresent()) {
            definitions.remember(study, definition);
            return new Created(view(study, definition), true);
        }
        JsonNode existing = json.readTree(study.definitionJson());
        // A body that leaves out a field whose default has changed since the study was created still matches it.
        JsonNode wanted = EarlierDefaults.adopt((ObjectNode) json.readTree(canonical),
                existing, request);
        if (!existing.equals(wanted)) {
            var differing = new ArrayList<String>();
            wanted.propertyNames().forEach(field -> {
                if (!wanted.get(field).equals(existing.get(field))) {
                    differing.add(field);
                }
            });
            throw new StudyDefinitionConflict(name, differing);
        }
        return new Created(view(study, definitions.of(study)), false);
    }

    /**
     * Refuses a new study past the project's {@code maxStudies}. The project's row lock serialises the creates of
     * one project, so concurrent creates cannot both pass the count; a create that matches an existing study
     * never gets here.
     */
    private void checkStudyQuota(long projectId) {
        Integer max = jdbc.sql("select max_studies from project where id = :project for no key update")
                .param("project", projectId).query(Integer.class).optional().orElse(null);
        if (max != null && studies.countByProjectId(projectId) >= max) {
            throw QuotaExceeded.studies(max);
        }
    }

    @Transactional(readOnly = true)
    public StudyResponse get(long projectId, String name) {
        Study study = studies.findByProjectIdAndName(projectId, name).orElseThrow(() -> new StudyNotFound(name));
        return view(study, definitions.of(study));
    }

    /** A page of studies in name order, and the cursor of the next page (null at the end). */
    public record Page(List<StudyResponse> studies, String next) {
    }

    @Transactional(readOnly = true)
    public Page list(long projectId, int limit, String after) {
        List<Study> page = studies.findByProjectIdAndNameGreaterThanOrderByNameAsc(projectId, after == null ? "" : after,
                Limit.of(limit + 1));
        boolean more = page.size() > limit;
        List<Study> shown = more ? page.subList(0, limit) : page;
        Map<Long, Map<String, Long>> counts = trials.counts(shown.stream().map(Study::id).toList());
        var out = new ArrayList<StudyResponse>(shown.size());
        for (Study s : shown) {
            StudyDefinition d = definitions.of(s);
            out.add(StudyResponse.of(s, d, counts.get(s.id()), trials.best(s, d), trials.hypervolume(s, d)));
        }
        return new Page(out, more ? shown.get(shown.size() - 1).name() : null);
    }

    @Transactional
    public StudyResponse changeState(long projectId, String name, StudyState state) {
        Study study = studies.lockByProjectIdAndName(projectId, name).orElseThrow(() -> new StudyNotFound(name));
        study.changeState(state, clock.instant());
        return view(study, definitions.of(study));
    }

    @Transactional
    public void delete(long projectId, String name) {
        Study study = studies.lockByProjectIdAndName(projectId, name).orElseThrow(() -> new StudyNotFound(name));
        studies.delete(study);
    }

    private StudyResponse view(Study study, StudyDefinition definition) {
        return StudyResponse.of(study, definition, trials.counts(List.of(study.id())).get(study.id()),
                trials.best(study, definition), trials.hypervolume(study, definition));
    }
}
