package dev.tellus.trial;

import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.StudyNotFound;
import dev.tellus.study.StudyRepository;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Study id, seed and parsed definition by name, so that the hot paths (ask, tell, heartbeat, report) never look a
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

    private final StudyRepository studies;
    private final StudyDefinitions definitions;
    private final Map<String, StudyKey> keys = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StudyKey> eldest) {
            return size() > CAPACITY;
        }
    });

    StudyKeys(StudyRepository studies, StudyDefinitions definitions) {
        this.studies = studies;
        this.definitions = definitions;
    }

    /** The study's key from this replica's cache, else read once (StudyNotFound when there is none). */
    StudyKey resolve(String name) {
        StudyKey known = keys.get(name);
        if (known != null) {
            return known;
        }
        Study study = studies.findByName(name).orElseThrow(() -> new StudyNotFound(name));
        return remember(name, study);
    }

    /** A key the caller has just read from the database (e.g. after a lookup it had to make anyway). */
    StudyKey remember(String name, Study study) {
        StudyKey key = new StudyKey(study.id(), study.seed(), definitions.of(study));
        keys.put(name, key);
        return key;
    }

    /** Drops a stale entry: the id it held matched no row. */
    void forget(String name, StudyKey stale) {
        keys.remove(name, stale);
    }
}
