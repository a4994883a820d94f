package dev.tellus.study;

import dev.tellus.web.InvalidRequest;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
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
    public Created create(String name, StudyRequest request) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequest("name", "study names must match [A-Za-z0-9._-]{1,128}");
        }
        if (request == null) {
            throw new InvalidRequest("body", "a study definition is required");
        }
        StudyDefinition definition = StudyDefinition.from(request);
        String canonical = json.writeValueAsString(definition.canonical());
        long seed = definition.seed() != null ? definition.seed() : SEEDS.nextLong();
        Instant now = clock.instant();
        Optional<Long> inserted = jdbc.sql("""
                        insert into study (name, definition, state, seed, next_number, created_at, updated_at)
                        values (:name, :definition, 'ACTIVE', :seed, 0, :now, :now)
                        on conflict (name) do nothing
                        returning id""")
                .param("name", name).param("definition", canonical).param("seed", seed)
                .param("now", java.sql.Timestamp.from(now))
                .query(Long.class).optional();
        Study study = studies.findByName(name).orElseThrow(() -> new StudyNotFound(name));
        if (inserted.isPresent()) {
            definitions.remember(study, definition);
            return new Created(view(study, definition), true);
        }
        JsonNode existing = json.readTree(study.definitionJson());
        JsonNode wanted = json.readTree(canonical);
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

    @Transactional(readOnly = true)
    public StudyResponse get(String name) {
        Study study = studies.findByName(name).orElseThrow(() -> new StudyNotFound(name));
        return view(study, definitions.of(study));
    }

    /** A page of studies in name order, and the cursor of the next page (null at the end). */
    public record Page(List<StudyResponse> studies, String next) {
    }

    @Transactional(readOnly = true)
    public Page list(int limit, String after) {
        List<Study> page = studies.findByNameGreaterThanOrderByNameAsc(after == null ? "" : after, Limit.of(limit + 1));
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
    public StudyResponse changeState(String name, StudyState state) {
        Study study = studies.lockByName(name).orElseThrow(() -> new StudyNotFound(name));
        study.changeState(state, clock.instant());
        return view(study, definitions.of(study));
    }

    @Transactional
    public void delete(String name) {
        Study study = studies.lockByName(name).orElseThrow(() -> new StudyNotFound(name));
        studies.delete(study);
    }

    private StudyResponse view(Study study, StudyDefinition definition) {
        return StudyResponse.of(study, definition, trials.counts(List.of(study.id())).get(study.id()),
                trials.best(study, definition), trials.hypervolume(study, definition));
    }
}
