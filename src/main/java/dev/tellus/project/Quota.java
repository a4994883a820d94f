package dev.tellus.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tellus.web.InvalidRequest;

/** A project's limits; a missing one means no limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Quota(Integer maxStudies, Integer maxRunningTrials, Integer requestsPerSecond) {

    static final Quota NONE = new Quota(null, null, null);

    Quota validated() {
        if (maxStudies != null && maxStudies < 0) {
            throw new InvalidRequest("quota.maxStudies", "must be >= 0");
        }
        if (maxRunningTrials != null && maxRunningTrials < 0) {
            throw new InvalidRequest("quota.maxRunningTrials", "must be >= 0");
        }
        if (requestsPerSecond != null && requestsPerSecond < 1) {
            throw new InvalidRequest("quota.requestsPerSecond", "must be >= 1");
        }
        return this;
    }
}
