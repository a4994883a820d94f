package dev.tellus.web;

import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;

import java.util.List;

/** A request whose fields do not hold; answered 400 with one entry per field. */
public class InvalidRequest extends InvalidDefinition {

    public InvalidRequest(String field, String message) {
        super(field, message);
    }

    public InvalidRequest(List<FieldError> errors) {
        super(errors);
    }
}
