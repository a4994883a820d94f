package dev.tellus.study;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

public interface StudyRepository extends JpaRepository<Study, Long> {

    Optional<Study> findByName(String name);

    /**
     * The study, with its row locked until the transaction ends. NO KEY UPDATE serialises asks of one study
     * without blocking the foreign-key checks of trial inserts or tells.
     */
    @Query(value = "select * from study where name = :name for no key update", nativeQuery = true)
    Optional<Study> lockByName(String name);

    /** The study locked, or empty when it is gone or another transaction holds it (the reaper comes back later). */
    @Query(value = "select * from study where id = :id for no key update skip locked", nativeQuery = true)
    Optional<Study> lockByIdUnlessBusy(long id);

    List<Study> findByNameGreaterThanOrderByNameAsc(String after, Limit limit);
}
