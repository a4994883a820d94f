package dev.tellus.study;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** A state change the study's state machine does not allow, such as reopening a completed study. */
class IllegalStudyTransition extends ApiException {

    IllegalStudyTransition(String name, StudyState from, StudyState to) {
        super(HttpStatus.CONFLICT, "illegal-study-transition", "Illegal study state change",
                "Study '" + name + "' is " + from + " and cannot become " + to + ": a completed study stays completed.");
    }
}
