package io.teachtrack.api.web;

import java.util.List;

/** An error the API answers on purpose, rendered as application/problem+json. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, List.of(), null);
    }

    public ApiException(int status, String title, String detail, List<Problem.FieldError> errors, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException notFound(String what, long id) {
        return new ApiException(404, "Not Found", what + " " + id + " does not exist");
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException unprocessable(String field, String message) {
        return new ApiException(422, "Unprocessable Content", "the request is not valid", List.of(new Problem.FieldError(field, message)), null);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
