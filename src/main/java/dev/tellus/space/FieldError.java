package dev.tellus.space;

/** One problem with one field of a request, e.g. {@code space.lr.low: must be > 0 when log is true}. */
public record FieldError(String field, String message) {
}
