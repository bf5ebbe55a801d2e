package io.teachtrack.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.teachtrack.api.db.SqlErrors;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Every error leaves as application/problem+json; nothing internal (SQL, stack traces, secrets) goes out. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** How long a client should wait before retrying while the primary database is unreachable. */
    static final int PRIMARY_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return Problem.response(e.status(), e.title(), e.getMessage(), e.errors(), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.response(422, "Unprocessable Content", "the request is not valid", errors, null);
    }

    /** Also named explicitly: Quarkus has its own mapper for this subtype, and the most specific type wins. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            errors.add(new Problem.FieldError(field, "has the wrong type or format"));
        }
        return Problem.response(400, "Bad Request", "the body is not valid JSON for this request", errors, null);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Problem.response(401, "Unauthorized", "a valid bearer token is required", List.of(), null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.response(403, "Forbidden", "your role may not do this", List.of(), null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        Integer retryAfter = e.getResponse().getHeaderString("Retry-After") == null ? null
                : Integer.valueOf(e.getResponse().getHeaderString("Retry-After"));
        return Problem.response(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), List.of(), retryAfter);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (SqlErrors.isConnectionFailure(e)) {
            LOG.warnf("primary database unreachable: %s", e.getClass().getSimpleName());
            return Problem.response(503, "Service Unavailable", "the database is unreachable; retry shortly", List.of(), PRIMARY_RETRY_AFTER_SECONDS);
        }
        if (SqlErrors.isNotThePrimary(e)) {
            LOG.warnf("the database server no longer takes writes (failover or switchover): %s", e.getClass().getSimpleName());
            return Problem.response(503, "Service Unavailable", "the primary database is changing; retry shortly", List.of(),
                    PRIMARY_RETRY_AFTER_SECONDS);
        }
        if (SqlErrors.isDuplicateKey(e)) {
            return Problem.response(409, "Conflict", "a record with the same unique value exists", List.of(), null);
        }
        if (SqlErrors.isForeignKeyViolation(e)) {
            return Problem.response(409, "Conflict", "the record is referenced by, or refers to, a record in the wrong state", List.of(), null);
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s", id);
        return Problem.response(500, "Internal Server Error", "unexpected error " + id + "; see the pod log", List.of(), null);
    }

    private static String field(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            boolean last = i == nodes.size() - 1;
            if (node.getKind() == ElementKind.METHOD || (node.getKind() == ElementKind.PARAMETER && !last)) {
                continue; // a body's fields are named without the method and parameter
            }
            String name = node.getName() == null ? "" : node.getName();
            names.add(node.getIndex() != null && !names.isEmpty() ? "[" + node.getIndex() + "]." + name : name);
        }
        return String.join(".", names).replace(".[", "[");
    }
}
