package io.teachtrack.api.school;

import io.teachtrack.api.school.Records.Person;
import io.teachtrack.api.school.Requests.PersonInput;
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
@Path("/api/v1/teachers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TeacherResource {

    static final String KIND = "teacher";

    private final Directory<Person> teachers;
    private final Caller caller;

    public TeacherResource(CachedReads reads, Writes writes, Caller caller) {
        this.teachers = new Directory<>(KIND, "teachers", List.of("name", "email"), Person.class, Person::id, reads, writes, Directory.ShownIn.NOWHERE_ELSE);
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.TEACHER})
    public Page<Person> list(@Valid @BeanParam PageRequest page) {
        return teachers.list(caller, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN, Role.TEACHER})
    public Person get(@PathParam("id") long id) {
        return teachers.find(caller, id);
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    public Response create(@NotNull @Valid PersonInput input) {
        Person created = teachers.create(caller, Directory.values("name", input.name(), "email", input.email()));
        return Response.created(URI.create("/api/v1/teachers/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN)
    public Person update(@PathParam("id") long id, @NotNull @Valid PersonInput input) {
        return teachers.update(caller, id, Directory.values("name", input.name(), "email", input.email()));
    }
}
