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

/** A study row: its name, stored definition, state, seed and the number its next trial gets. */
@Entity
@Table(name = "study")
@DynamicUpdate
public class Study {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

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

    Study(String name, String definition, long seed, Instant now) {
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

    public void changeState(StudyState newState, Instant now) {
        if (state != newState) {
            state = newState;
            updatedAt = now;
        }
    }

    public Long id() {
        return id;
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
