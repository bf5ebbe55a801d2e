package io.teachtrack.api.school;

import io.teachtrack.api.db.SqlErrors;
import io.teachtrack.api.school.Records.ClassSummary;
import io.teachtrack.api.school.Records.Lesson;
import io.teachtrack.api.school.Records.Person;
import io.teachtrack.api.school.Records.SchoolClass;
import io.teachtrack.api.school.Requests.ClassInput;
import io.teachtrack.api.school.Requests.EnrollmentInput;
import io.teachtrack.api.school.Requests.LessonInput;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.security.Role;
import io.teachtrack.api.web.ApiException;
import io.teachtrack.api.web.Page;
import io.teachtrack.api.web.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Classes, their rosters, their lessons and their attendance summary. Teachers see and change only their own. */
@RequestScoped
@Path("/api/v1/classes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.TEACHER})
public class ClassResource {

    private final Classes classes;
    private final CachedReads reads;
    private final Writes writes;
    private final AttendanceViews summaries;
    private final Caller caller;

    public ClassResource(Classes classes, CachedReads reads, Writes writes, AttendanceViews summaries, Caller caller) {
        this.classes = classes;
        this.reads = reads;
        this.writes = writes;
        this.summaries = summaries;
        this.caller = caller;
    }

    /** All classes for the admin; a teacher's own classes for a teacher. */
    @GET
    public Page<SchoolClass> list(@Valid @BeanParam PageRequest page) {
        String select = "SELECT id, subject_id, teacher_id, group_name FROM classes WHERE id > :after";
        if (caller.isAdmin()) {
            return reads.page(caller, Scopes.list(Scopes.CLASS), "all", page, SchoolClass.class,
                    select + " ORDER BY id LIMIT :limit", Map.of(), SchoolClass::id);
        }
        return reads.page(caller, Scopes.list(Scopes.CLASS), "teacher" + caller.teacherId(), page, SchoolClass.class,
                select + " AND teacher_id = :teacherId ORDER BY id LIMIT :limit", Map.of("teacherId", caller.teacherId()), SchoolClass::id);
    }

    @GET
    @Path("/{id}")
    public SchoolClass get(@PathParam("id") long id) {
        return classes.requireAccess(caller, id);
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    public Response create(@NotNull @Valid ClassInput input) {
        long id;
        try {
            id = writes.run(caller, (handle, changes) -> {
                long created = handle.createUpdate("INSERT INTO classes (subject_id, teacher_id, group_name) VALUES (:subjectId, :teacherId, :groupName)")
                        .bindMethods(input).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                changes.affect(Scopes.row(Scopes.CLASS, created));
                return created;
            });
        } catch (RuntimeException e) {
            if (SqlErrors.isForeignKeyViolation(e)) {
                throw new ApiException(422, "Unprocessable Content", "the subject or the teacher does not exist",
                        List.of(new Problem.FieldError("subjectId", "must exist"), new Problem.FieldError("teacherId", "must exist")), null);
            }
            if (SqlErrors.isDuplicateKey(e)) {
                throw ApiException.conflict("subject " + input.subjectId() + " already has a class for group " + input.groupName());
            }
            throw e;
        }
        SchoolClass created = classes.find(caller, id);
        return Response.created(URI.create("/api/v1/classes/" + id)).entity(created).build();
    }

    @GET
    @Path("/{id}/students")
    public Page<Person> roster(@PathParam("id") long id, @Valid @BeanParam PageRequest page) {
        classes.requireAccess(caller, id);
        return reads.page(caller, Scopes.roster(id), "all", page, Person.class, """
                        SELECT s.id, s.name, s.email FROM enrollments e JOIN students s ON s.id = e.student_id
                        WHERE e.class_id = :classId AND s.id > :after ORDER BY s.id LIMIT :limit""",
                Map.of("classId", id), Person::id);
    }

    /** Enrolls a student; enrolling twice is a 409. */
    @POST
    @Path("/{id}/enrollments")
    public Response enroll(@PathParam("id") long id, @NotNull @Valid EnrollmentInput input) {
        classes.requireAccess(caller, id);
        try {
            writes.run(caller, (handle, changes) -> {
                changes.affect(Scopes.enrollment(id, input.studentId()));
                return handle.createUpdate("INSERT INTO enrollments (class_id, student_id) VALUES (:classId, :studentId)")
                        .bind("classId", id).bind("studentId", input.studentId()).execute();
            });
        } catch (RuntimeException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                throw ApiException.conflict("student " + input.studentId() + " is already enrolled in class " + id);
            }
            if (SqlErrors.isForeignKeyViolation(e)) {
                throw ApiException.unprocessable("studentId", "student " + input.studentId() + " does not exist");
            }
            throw e;
        }
        return Response.created(URI.create("/api/v1/classes/" + id + "/students")).build();
    }

    @DELETE
    @Path("/{id}/enrollments/{studentId}")
    public Response unenroll(@PathParam("id") long id, @PathParam("studentId") long studentId) {
        classes.requireAccess(caller, id);
        int removed = writes.run(caller, (handle, changes) -> {
            changes.affect(Scopes.enrollment(id, studentId)).affect(Scopes.registersListing(handle, id, studentId));
            handle.createUpdate("""
                    DELETE a FROM attendance a JOIN lessons l ON l.id = a.lesson_id
                    WHERE l.class_id = :classId AND a.student_id = :studentId""").bind("classId", id).bind("studentId", studentId).execute();
            return handle.createUpdate("DELETE FROM enrollments WHERE class_id = :classId AND student_id = :studentId")
                    .bind("classId", id).bind("studentId", studentId).execute();
        });
        if (removed == 0) {
            throw new ApiException(404, "Not Found", "student " + studentId + " is not enrolled in class " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/lessons")
    public Page<Lesson> lessons(@PathParam("id") long id, @Valid @BeanParam PageRequest page) {
        classes.requireAccess(caller, id);
        return reads.page(caller, Scopes.lessons(id), "all", page, Lesson.class,
                "SELECT id, class_id, starts_at, topic FROM lessons WHERE class_id = :classId AND id > :after ORDER BY id LIMIT :limit",
                Map.of("classId", id), Lesson::id);
    }

    @POST
    @Path("/{id}/lessons")
    public Response addLesson(@PathParam("id") long id, @NotNull @Valid LessonInput input) {
        classes.requireAccess(caller, id);
        long lessonId = writes.run(caller, (handle, changes) -> {
            long created = handle.createUpdate("INSERT INTO lessons (class_id, starts_at, topic) VALUES (:classId, :startsAt, :topic)")
                    .bind("classId", id).bind("startsAt", Timestamp.from(input.startsAt())).bind("topic", input.topic())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            changes.affect(Scopes.lessonAdded(id, created));
            return created;
        });
        return Response.created(URI.create("/api/v1/lessons/" + lessonId))
                .entity(new Lesson(lessonId, id, input.startsAt().truncatedTo(ChronoUnit.SECONDS), input.topic())).build();
    }

    @GET
    @Path("/{id}/attendance-summary")
    public ClassSummary summary(@PathParam("id") long id) {
        classes.requireAccess(caller, id);
        return summaries.forClass(caller, id);
    }
}
