package dev.tellus.trial;

import java.io.Serializable;

/** A trial's key: its study and its number within the study. */
public record TrialId(Long studyId, Long number) implements Serializable {

    public TrialId() {
        this(null, null);
    }
}
