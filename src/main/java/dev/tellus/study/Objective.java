package dev.tellus.study;

import dev.tellus.history.Direction;

/**
 * A named value a trial reports, to be minimised or maximised; {@code reference} (or null) bounds the study's
 * hypervolume in this objective.
 */
public record Objective(String name, Direction direction, Double reference) {

    public Objective(String name, Direction direction) {
        this(name, direction, null);
    }
}
