package dev.tellus.trial;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface TrialRepository extends JpaRepository<Trial, TrialId> {

    /** One trial with its row locked: tells, heartbeats and reports of one trial are serialised; others run freely. */
    @Query(value = "select * from trial where study_id = :studyId and number = :number for update", nativeQuery = true)
    Optional<Trial> lockOne(long studyId, long number);

    /** The oldest enqueued trials, to hand out first (the caller holds the study lock). */
    @Query(value = """
            select * from trial where study_id = :studyId and state = 'WAITING'
            order by number limit :limit for update""", nativeQuery = true)
    List<Trial> lockWaiting(long studyId, int limit);

    /** Running trials of a study whose lease ran out; rows another replica is already reaping are skipped. */
    @Query(value = """
            select * from trial where study_id = :studyId and state = 'RUNNING' and lease_expires_at < :now
            order by number limit :limit for update skip locked""", nativeQuery = true)
    List<Trial> lockExpired(long studyId, java.time.Instant now, int limit);

    /** A waiting retry of the given trial, locked. */
    @Query(value = "select * from trial where study_id = :studyId and retry_of = :number and state = 'WAITING' for update",
            nativeQuery = true)
    List<Trial> lockWaitingRetries(long studyId, long number);

    List<Trial> findByStudyIdAndNumberGreaterThanOrderByNumberAsc(long studyId, long after, Limit limit);

    List<Trial> findByStudyIdAndStateAndNumberGreaterThanOrderByNumberAsc(long studyId,
                                                                         dev.tellus.history.TrialStatus state,
                                                                         long after, Limit limit);

    @Query(value = """
            select * from trial where study_id = :studyId and state = 'COMPLETED'
            order by objective_values[1] asc, number asc limit 1""", nativeQuery = true)
    Optional<Trial> lowestFirstValue(long studyId);

    @Query(value = """
            select * from trial where study_id = :studyId and state = 'COMPLETED'
            order by objective_values[1] desc, number asc limit 1""", nativeQuery = true)
    Optional<Trial> highestFirstValue(long studyId);

    @Query(value = "select * from trial where study_id = :studyId and state = 'COMPLETED' order by number", nativeQuery = true)
    List<Trial> completed(long studyId);
}
