package dev.tellus.trial;

import dev.tellus.strategy.StrategyState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * What each study's strategy keeps between asks (one jsonb row per study). Asks read it together with the study
 * lock ({@link AskService}); this is where it is parsed and written.
 */
@Repository
class StrategyStates {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    StrategyStates(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The state read from the format and document columns (both null when the study has none yet). */
    StrategyState parse(Integer format, String document) {
        return format == null || document == null ? StrategyState.EMPTY
                : new StrategyState(format, json.readValue(document, MAP));
    }

    /** Stores a changed state; unchanged states are not written at all. */
    void save(long studyId, StrategyState before, StrategyState after, Instant now) {
        if (after.equals(before)) {
            return;
        }
        jdbc.sql("""
                        insert into strategy_state (study_id, format, document, updated_at)
                        values (:study, :format, cast(:document as jsonb), :now)
                        on conflict (study_id) do update set format = excluded.format,
                            document = excluded.document, updated_at = excluded.updated_at""")
                .param("study", studyId).param("format", after.format())
                .param("document", json.writeValueAsString(after.document()))
                .param("now", Timestamp.from(now)).update();
    }
}
