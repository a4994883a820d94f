package dev.tellus.history;

/** Whether an objective is to be made small or large. */
public enum Direction {
    MINIMIZE, MAXIMIZE;

    /** The value turned into one to minimise. */
    public double toLoss(double value) {
        return this == MINIMIZE ? value : -value;
    }
}
