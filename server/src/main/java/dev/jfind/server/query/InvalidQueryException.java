package dev.jfind.server.query;

/** A pattern or query that cannot be read; the message says what is wrong, for a person. */
public final class InvalidQueryException extends IllegalArgumentException {
    private final String field;

    /** @param field the request field at fault ("patterns", "query"), for error details */
    public InvalidQueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
