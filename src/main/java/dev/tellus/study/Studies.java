package dev.tellus.study;

import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The one way other features reach a study: always within a project, so another project's study is not found
 * exactly like a missing one (same exception, same work). Callers run inside their own transaction.
 */
@Component
public class Studies {

    private final StudyRepository repository;

    Studies(StudyRepository repository) {
        this.repository = repository;
    }

    /** The study, or {@link StudyNotFound}. */
    public Study find(long projectId, String name) {
        return repository.findByProjectIdAndName(projectId, name).orElseThrow(() -> new StudyNotFound(name));
    }

    /** The study with its row locked until the transaction ends (asks of one study are serialised), or {@link StudyNotFound}. */
    public Study lock(long projectId, String name) {
        return repository.lockByProjectIdAndName(projectId, name).orElseThrow(() -> new StudyNotFound(name));
    }

    /** The study locked, or empty when it is gone or another transaction holds its lock. */
    public Optional<Study> lockUnlessBusy(long studyId) {
        return repository.lockByIdUnlessBusy(studyId);
    }
}
