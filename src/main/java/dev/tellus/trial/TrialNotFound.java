package dev.tellus.trial;

import dev.tellus.web.ApiException;
import org.springframework.http.HttpStatus;

/** The study has no trial with this number. */
class TrialNotFound extends ApiException {

    TrialNotFound(String study, long number) {
        super(HttpStatus.NOT_FOUND, "trial-not-found", "Trial not found",
                "Study '" + study + "' has no trial number " + number + ".");
    }
}
