package io.teachtrack.api.security;

import io.teachtrack.api.web.ApiException;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final Accounts accounts;
    private final TokenIssuer tokens;
    private final LoginGuard guard;

    public AuthResource(Accounts accounts, TokenIssuer tokens, LoginGuard guard) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.guard = guard;
    }

    public record Credentials(@NotNull @Size(max = 64) String username, @NotNull @Size(max = 200) String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }
    }

    public record UserView(long id, String username, Role role, Long teacherId, Long studentId) {
        static UserView of(UserAccount account) {
            return new UserView(account.id(), account.username(), account.role(), account.teacherId(), account.studentId());
        }
    }

    /** Exchanges a username and password for a short-lived bearer token. */
    @POST
    @Path("/auth/token")
    @PermitAll
    public TokenIssuer.Token token(@NotNull @Valid Credentials credentials) {
        guard.admit(credentials.username());
        UserAccount account;
        try {
            account = accounts.authenticate(credentials.username(), credentials.password());
        } catch (ApiException e) {
            if (e.status() == 401) {
                guard.failed(credentials.username());
            }
            throw e;
        }
        guard.succeeded();
        return tokens.issue(account);
    }

    @POST
    @Path("/users")
    @RolesAllowed(Role.ADMIN)
    public Response createUser(@NotNull @Valid NewUser user) {
        UserView created = UserView.of(accounts.create(user));
        return Response.created(URI.create("/api/v1/users/" + created.id())).entity(created).build();
    }

}
