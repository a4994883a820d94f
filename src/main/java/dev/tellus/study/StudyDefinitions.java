package dev.tellus.study;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed definitions by study id. A study's definition never changes and ids are never reused, so a parsed
 * definition (with its strategy built for the space) can be kept for as long as memory allows.
 */
@Component
public class StudyDefinitions {

    private static final int CAPACITY = 2048;

    private final JsonMapper json;
    private final Map<Long, StudyDefinition> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, StudyDefinition> eldest) {
                    return size() > CAPACITY;
                }
            });

    StudyDefinitions(JsonMapper json) {
        this.json = json;
    }

    public StudyDefinition of(Study study) {
        StudyDefinition known = cache.get(study.id());
        if (known != null) {
            return known;
        }
        StudyDefinition parsed = StudyDefinition.from(json.readValue(study.definitionJson(), StudyRequest.class));
        cache.put(study.id(), parsed);
        return parsed;
    }

    /** The parsed definition of a study this replica has seen, or null. */
    public StudyDefinition cached(long studyId) {
        return cache.get(studyId);
    }

    /** A study created in this request: its definition is already parsed. */
    void remember(Study study, StudyDefinition definition) {
        cache.put(study.id(), definition);
    }
}
