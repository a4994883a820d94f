package dev.tellus.study;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** No study has this name. */
public class StudyNotFound extends ApiException {

    public StudyNotFound(String name) {
        super(HttpStatus.NOT_FOUND, "study-not-found", "Study not found", "No study is named '" + name + "'.");
    }
}
