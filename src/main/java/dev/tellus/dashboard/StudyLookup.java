package dev.tellus.dashboard;

import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import dev.tellus.study.StudyNotFound;
import dev.tellus.study.StudyRepository;
import org.springframework.stereotype.Component;

/** Finds the study a dashboard request names, with its parsed definition. */
@Component
class StudyLookup {

    /** A study and its definition. */
    record Found(Study study, StudyDefinition definition) {
        long id() {
            return study.id();
        }
    }

    private final StudyRepository studies;
    private final StudyDefinitions definitions;

    StudyLookup(StudyRepository studies, StudyDefinitions definitions) {
        this.studies = studies;
        this.definitions = definitions;
    }

    Found find(String name) {
        Study study = studies.findByName(name).orElseThrow(() -> new StudyNotFound(name));
        return new Found(study, definitions.of(study));
    }
}
