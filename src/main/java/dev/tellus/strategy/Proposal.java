package dev.tellus.strategy;

import java.util.Map;

/** Params for one new trial (active parameters only, in space order) and tags stored with it. */
public record Proposal(Map<String, Object> params, Map<String, Object> tags) {

    public Proposal {
        tags = tags == null ? Map.of() : tags;
    }
}
