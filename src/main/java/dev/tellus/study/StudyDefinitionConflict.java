package dev.tellus.study;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

import java.util.List;

/** A PUT named an existing study but gave a different definition. */
class StudyDefinitionConflict extends ApiException {

    StudyDefinitionConflict(String name, List<String> differing) {
        super(HttpStatus.CONFLICT, "study-definition-conflict", "Study exists with another definition",
                "A study named '" + name + "' exists with a different definition (" + String.join(", ", differing)
                        + " differ). Use another name, or delete the study first.");
    }
}
