package dev.tellus.history;

/** The life cycle of a trial, as strategies see it. */
public enum TrialStatus {
    WAITING, RUNNING, COMPLETED, PRUNED, FAILED;

    public boolean isFinished() {
        return this == COMPLETED || this == PRUNED || this == FAILED;
    }
}
