package dev.tellus.study;

/** Whether a study hands out trials: ACTIVE does, PAUSED does not for now, COMPLETED never again. */
public enum StudyState {
    ACTIVE, PAUSED, COMPLETED
}
