package io.teachtrack.api.security;

import io.teachtrack.api.web.ApiException;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns the verified token of the request into a {@link Caller}; resources that use it are request scoped. */
public class CallerProducer {

    @Produces
    @Dependent
    Caller caller(JsonWebToken token) {
        if (token == null || token.getSubject() == null) {
            throw ApiException.unauthorized("a valid bearer token is required");
        }
        Role role = token.getGroups().stream().findFirst().map(Role::valueOf)
                .orElseThrow(() -> ApiException.unauthorized("the token has no role"));
        return new Caller(Long.parseLong(token.getSubject()), token.getName(), role,
                longClaim(token, TokenIssuer.TEACHER_ID), longClaim(token, TokenIssuer.STUDENT_ID));
    }

    private static Long longClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        return value == null ? null : Long.valueOf(value.toString());
    }
}
