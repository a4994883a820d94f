package dev.tellus.dashboard;

import dev.tellus.study.Studies;
import dev.tellus.study.Study;
import dev.tellus.study.StudyDefinition;
import dev.tellus.study.StudyDefinitions;
import org.springframework.stereotype.Component;

/** Finds the study a dashboard request names, in the caller's project, with its parsed definition. */
@Component
class StudyLookup {

    /** A study and its definition. */
    record Found(Study study, StudyDefinition definition) {
        long id() {
            return study.id();
        }
    }

    private final Studies studies;
    private final StudyDefinitions definitions;

    StudyLookup(Studies studies, StudyDefinitions definitions) {
        this.studies = studies;
        this.definitions = definitions;
    }

    /** The study, or StudyNotFound (also for another project's study). */
    Found find(long projectId, String name) {
        Study study = studies.find(projectId, name);
        return new Found(study, definitions.of(study));
    }
}
