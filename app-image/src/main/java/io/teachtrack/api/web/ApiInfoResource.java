package io.teachtrack.api.web;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What this API is, for clients and people finding their way in: no token, no database, no cache. It is also the
 * benchmark's framework floor: a request through the same HTTP stack and filters as every API call, doing nothing else.
 */
@Path("/api/v1/info")
@Produces(MediaType.APPLICATION_JSON)
public class ApiInfoResource {

    public record ApiInfo(String name, String version, String openapi) {
    }

    private final ApiInfo info;

    public ApiInfoResource(@ConfigProperty(name = "quarkus.application.name") String name,
                           @ConfigProperty(name = "quarkus.application.version") String version) {
        this.info = new ApiInfo(name, version, "/q/openapi");
    }

    @GET
    @PermitAll
    public ApiInfo info() {
        return info;
    }
}
