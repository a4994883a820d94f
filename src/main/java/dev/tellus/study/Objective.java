package dev.tellus.study;

import dev.tellus.history.Direction;

/** A named value a trial reports, to be minimised or maximised. */
public record Objective(String name, Direction direction) {
}
