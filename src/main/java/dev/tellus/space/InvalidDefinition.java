package dev.tellus.space;

import java.util.List;

/** A study definition, parameter assignment or strategy option that does not hold; carries every field error found. */
public class InvalidDefinition extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidDefinition(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public InvalidDefinition(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
