package io.teachtrack.api.school;

import io.teachtrack.api.school.Records.Subject;
import io.teachtrack.api.school.Requests.SubjectInput;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.security.Role;
import io.teachtrack.api.web.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

@RequestScoped
@Path("/api/v1/subjects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubjectResource {

    private final Directory<Subject> subjects;
    private final Caller caller;

    public SubjectResource(CachedReads reads, Writes writes, Caller caller) {
        this.subjects = new Directory<>("subject", "subjects", List.of("code", "name"), Subject.class, Subject::id, reads, writes, Directory.ShownIn.NOWHERE_ELSE);
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.TEACHER, Role.STUDENT})
    public Page<Subject> list(@Valid @BeanParam PageRequest page) {
        return subjects.list(caller, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN, Role.TEACHER, Role.STUDENT})
    public Subject get(@PathParam("id") long id) {
        return subjects.find(caller, id);
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    public Response create(@NotNull @Valid SubjectInput input) {
        Subject created = subjects.create(caller, Directory.values("code", input.code(), "name", input.name()));
        return Response.created(URI.create("/api/v1/subjects/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN)
    public Subject update(@PathParam("id") long id, @NotNull @Valid SubjectInput input) {
        return subjects.update(caller, id, Directory.values("code", input.code(), "name", input.name()));
    }
}
