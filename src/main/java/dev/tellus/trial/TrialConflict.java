package dev.tellus.trial;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** A move the trial's state does not allow: a different outcome for a finished trial, a heartbeat for a dead one. */
class TrialConflict extends ApiException {

    private TrialConflict(String type, String title, String detail) {
        super(HttpStatus.CONFLICT, type, title, detail);
    }

    static TrialConflict alreadyFinished(long number, String state) {
        return new TrialConflict("trial-already-finished", "Trial already finished",
                "Trial " + number + " already ended " + state + " with another outcome; a finished trial's outcome does not change.");
    }

    static TrialConflict notRunning(long number, String state) {
        return new TrialConflict("trial-not-running", "Trial not running",
                "Trial " + number + " is " + state + ", not RUNNING: the worker should stop working on it.");
    }

    static TrialConflict studyCompleted(String study) {
        return new TrialConflict("study-completed", "Study completed",
                "Study '" + study + "' is COMPLETED: nothing enqueued would be handed out. PATCH its state to ACTIVE first "
                        + "(importing a finished result with value(s) is still accepted).");
    }

    static TrialConflict stepRecorded(long number, long step) {
        return new TrialConflict("intermediate-value-conflict", "Step already reported",
                "Trial " + number + " already has another value for step " + step + ".");
    }
}
