package io.teachtrack.api.school;

import io.teachtrack.api.school.Records.Person;
import io.teachtrack.api.school.Records.StudentSummary;
import io.teachtrack.api.school.Requests.PersonInput;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.security.Role;
import io.teachtrack.api.web.ApiException;
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
@Path("/api/v1/students")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StudentResource {

    private final Directory<Person> students;
    private final AttendanceViews summaries;
    private final Caller caller;

    public StudentResource(CachedReads reads, Writes writes, AttendanceViews summaries, Caller caller) {
        this.students = new Directory<>("student", "students", List.of("name", "email"), Person.class, Person::id, reads, writes, Scopes::rostersListing);
        this.summaries = summaries;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.TEACHER})
    public Page<Person> list(@Valid @BeanParam PageRequest page) {
        return students.list(caller, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN, Role.TEACHER, Role.STUDENT})
    public Person get(@PathParam("id") long id) {
        requireSelfUnlessStaff(id);
        return students.find(caller, id);
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    public Response create(@NotNull @Valid PersonInput input) {
        Person created = students.create(caller, Directory.values("name", input.name(), "email", input.email()));
        return Response.created(URI.create("/api/v1/students/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN)
    public Person update(@PathParam("id") long id, @NotNull @Valid PersonInput input) {
        return students.update(caller, id, Directory.values("name", input.name(), "email", input.email()));
    }

    /** Attendance of one student in each of their classes: the admin, or the student themself. */
    @GET
    @Path("/{id}/attendance-summary")
    @RolesAllowed({Role.ADMIN, Role.STUDENT})
    public StudentSummary summary(@PathParam("id") long id) {
        requireSelfUnlessStaff(id);
        students.find(caller, id);
        return summaries.forStudent(caller, id);
    }

    private void requireSelfUnlessStaff(long studentId) {
        if (caller.role() == Role.student && !caller.is(studentId)) {
            throw ApiException.forbidden("students see only themselves");
        }
    }
}
