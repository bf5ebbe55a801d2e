package io.teachtrack.api.school;

import io.teachtrack.api.school.Records.Attendance;
import io.teachtrack.api.school.Records.Lesson;
import io.teachtrack.api.school.Requests.AttendanceEntry;
import io.teachtrack.api.school.Requests.AttendanceInput;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.security.Role;
import io.teachtrack.api.web.ApiException;
import io.teachtrack.api.web.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A lesson and its register. Saving a register is an idempotent bulk upsert. */
@RequestScoped
@Path("/api/v1/lessons/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.TEACHER})
public class LessonResource {

    public record Register(long lessonId, List<Attendance> records) {
    }

    private final Classes classes;
    private final CachedReads reads;
    private final Writes writes;
    private final AttendanceViews views;
    private final Caller caller;

    public LessonResource(Classes classes, CachedReads reads, Writes writes, AttendanceViews views, Caller caller) {
        this.classes = classes;
        this.reads = reads;
        this.writes = writes;
        this.views = views;
        this.caller = caller;
    }

    @GET
    public Lesson get(@PathParam("id") long id) {
        Lesson lesson = reads.one(caller, Scopes.LESSON, id, Lesson.class, "SELECT id, class_id, starts_at, topic FROM lessons WHERE id = :id")
                .orElseThrow(() -> ApiException.notFound("lesson", id));
        classes.requireAccess(caller, lesson.classId());
        return lesson;
    }

    @GET
    @Path("/attendance")
    public Register attendance(@PathParam("id") long id) {
        get(id);
        return views.register(caller, id);
    }

    @PUT
    @Path("/attendance")
    public Register record(@PathParam("id") long id, @NotNull @Valid AttendanceInput input) {
        Lesson lesson = get(id);
        List<Long> studentIds = input.records().stream().map(AttendanceEntry::studentId).toList();
        rejectDuplicates(studentIds);
        return writes.run(caller, (handle, changes) -> {
            rejectNotEnrolled(handle, lesson.classId(), studentIds);
            var batch = handle.prepareBatch("""
                    INSERT INTO attendance (lesson_id, student_id, status) VALUES (:lessonId, :studentId, :status)
                    ON DUPLICATE KEY UPDATE status = VALUES(status), version = version + 1""");
            for (AttendanceEntry entry : input.records()) {
                batch.bind("lessonId", id).bind("studentId", entry.studentId()).bind("status", entry.status().name()).add();
            }
            batch.execute();
            changes.affect(Scopes.studentSummaries(studentIds));
            return views.saved(handle, changes, id, lesson.classId(), studentIds);
        });
    }

    private static void rejectDuplicates(List<Long> studentIds) {
        Set<Long> seen = new HashSet<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < studentIds.size(); i++) {
            if (!seen.add(studentIds.get(i))) {
                errors.add(new Problem.FieldError("records[" + i + "].studentId", "appears more than once"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(422, "Unprocessable Content", "the request is not valid", errors, null);
        }
    }

    private static void rejectNotEnrolled(Handle handle, long classId, List<Long> studentIds) {
        Set<Long> enrolled = new LinkedHashSet<>(handle.createQuery(
                        "SELECT student_id FROM enrollments WHERE class_id = :classId AND student_id IN (<ids>)")
                .bind("classId", classId).bindList("ids", studentIds).mapTo(Long.class).list());
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < studentIds.size(); i++) {
            if (!enrolled.contains(studentIds.get(i))) {
                errors.add(new Problem.FieldError("records[" + i + "].studentId", "student " + studentIds.get(i) + " is not enrolled in this class"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(422, "Unprocessable Content", "the request is not valid", errors, null);
        }
    }
}
