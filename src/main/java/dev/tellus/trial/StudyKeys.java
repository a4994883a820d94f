package dev.tellus.trial;

import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.Studies;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Study id, seed and parsed definition by project and name, so that the hot paths (ask, tell, heartbeat, report) never look a
 * study up by name. None of these ever change for a study and ids are never reused: an entry is at worst stale
 * (the study was deleted, or deleted and created again), which the caller notices because the id then matches no
 * row; it then {@link #forget}s the name and resolves it again. Bounded, least recently used first out.
 */
@Component
class StudyKeys {

    private static final int CAPACITY = 4096;

    /** What the hot paths need of a study. */
    record StudyKey(long id, long seed, StudyDefinition definition) {
    }

    private final Studies studies;
    private final StudyDefinitions definitions;
    private final Map<String, StudyKey> keys = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StudyKey> eldest) {
            return size() > CAPACITY;
        }
    });

    StudyKeys(Studies studies, StudyDefinitions definitions) {
        this.studies = studies;
        this.definitions = definitions;
    }

    /** The study's key from this replica's cache, else read once (StudyNotFound when there is none). */
    StudyKey resolve(long projectId, String name) {
        String cacheKey = cacheKey(projectId, name);
        StudyKey known = keys.get(cacheKey);
        if (known != null) {
            return known;
        }
        Study study = studies.find(projectId, name);
        StudyKey key = new StudyKey(study.id(), study.seed(), definitions.of(study));
        keys.put(cacheKey, key);
        return key;
    }

    /** Drops a stale entry: the id it held matched no row. */
    void forget(long projectId, String name, StudyKey stale) {
        keys.remove(cacheKey(projectId, name), stale);
    }

    /** Study names are unique per project only. */
    private static String cacheKey(long projectId, String name) {
        return projectId + "/" + name;
    }
}
