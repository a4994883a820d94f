package dev.tellus.study;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;

/** A study row: its project and name, stored definition, state, seed and the number its next trial gets. */
@Entity
@Table(name = "study")
@DynamicUpdate
public class Study {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id")
    private long projectId;

    private String name;

    private String definition;

    @Enumerated(EnumType.STRING)
    private StudyState state;

    private long seed;

    @Column(name = "next_number")
    private long nextNumber;

    private Instant createdAt;

    private Instant updatedAt;

    protected Study() {
    }

    Study(long projectId, String name, String definition, long seed, Instant now) {
        this.projectId = projectId;
        this.name = name;
        this.definition = definition;
        this.seed = seed;
        this.state = StudyState.ACTIVE;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Reserves the next n trial numbers and returns the first; only called under the study's row lock. */
    public long allocateNumbers(int n, Instant now) {
        long first = nextNumber;
        nextNumber += n;
        updatedAt = now;
        return first;
    }

    /**
     * Moves the study to a new state: ACTIVE and PAUSED switch freely, either may complete, and a completed
     * study stays completed (its budget or its owner ended it; workers have been told {@code done}). Asking for
     * the current state again is a no-op.
     */
    public void changeState(StudyState newState, Instant now) {
        if (state == newState) {
            return;
        }
        if (state == StudyState.COMPLETED) {
            throw new IllegalStudyTransition(name, state, newState);
        }
        state = newState;
        updatedAt = now;
    }

    /** Ends the study because it has nothing more to hand out. */
    public void complete(Instant now) {
        changeState(StudyState.COMPLETED, now);
    }

    public boolean isCompleted() {
        return state == StudyState.COMPLETED;
    }

    public boolean isPaused() {
        return state == StudyState.PAUSED;
    }

    public Long id() {
        return id;
    }

    public long projectId() {
        return projectId;
    }

    public String name() {
        return name;
    }

    public String definitionJson() {
        return definition;
    }

    public StudyState state() {
        return state;
    }

    public long seed() {
        return seed;
    }

    public long nextNumber() {
        return nextNumber;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
