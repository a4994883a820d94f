package dev.tellus.study;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

/** Study rows; other features reach studies through {@link Studies}. Every lookup by name names the project. */
interface StudyRepository extends JpaRepository<Study, Long> {

    Optional<Study> findByProjectIdAndName(long projectId, String name);

    /**
     * The study, with its row locked until the transaction ends. NO KEY UPDATE serialises asks of one study
     * without blocking the foreign-key checks of trial inserts or tells.
     */
    @Query(value = "select * from study where project_id = :projectId and name = :name for no key update", nativeQuery = true)
    Optional<Study> lockByProjectIdAndName(long projectId, String name);

    /** The study locked, or empty when it is gone or another transaction holds it (the reaper comes back later). */
    @Query(value = "select * from study where id = :id for no key update skip locked", nativeQuery = true)
    Optional<Study> lockByIdUnlessBusy(long id);

    List<Study> findByProjectIdAndNameGreaterThanOrderByNameAsc(long projectId, String after, Limit limit);

    long countByProjectId(long projectId);
}
