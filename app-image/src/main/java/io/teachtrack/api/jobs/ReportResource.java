package io.teachtrack.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teachtrack.api.school.Classes;
import io.teachtrack.api.school.Requests.ReportInput;
import io.teachtrack.api.school.Writes;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.security.Role;
import io.teachtrack.api.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;

/** Attendance reports, made by the worker: POST answers 202 at once, GET tells the status and, when done, the report. */
@RequestScoped
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.TEACHER})
public class ReportResource {

    public record ReportJob(long id, JobStatus status, int attempts, JsonNode result, String error, Instant createdAt, Instant updatedAt) {
    }

    private final JobQueue queue;
    private final Classes classes;
    private final Writes writes;
    private final ObjectMapper json;
    private final Caller caller;

    public ReportResource(JobQueue queue, Classes classes, Writes writes, ObjectMapper json, Caller caller) {
        this.queue = queue;
        this.classes = classes;
        this.writes = writes;
        this.json = json;
        this.caller = caller;
    }

    @POST
    public Response request(@NotNull @Valid ReportInput input) throws JsonProcessingException {
        classes.requireAccess(caller, input.classId());
        String params = json.writeValueAsString(new ClassReport.Params(input.classId()));
        // A queued job is in no cached view (reports are read from the queue).
        long id = writes.run(caller, (handle, changes) -> queue.enqueue(handle, ClassReport.TYPE, params, caller.userId()));
        return Response.accepted(new ReportJob(id, JobStatus.QUEUED, 0, null, null, null, null))
                .location(URI.create("/api/v1/reports/" + id)).build();
    }

    @GET
    @Path("/{id}")
    public ReportJob get(@PathParam("id") long id) throws JsonProcessingException {
        Job job = queue.find(caller.userId(), id).filter(found -> ClassReport.TYPE.equals(found.type()))
                .orElseThrow(() -> ApiException.notFound("report", id));
        if (!caller.isAdmin() && job.createdBy() != caller.userId()) {
            throw ApiException.forbidden("report " + id + " was requested by someone else");
        }
        return new ReportJob(job.id(), job.status(), job.attempts(), job.result() == null ? null : json.readTree(job.result()),
                job.error(), job.createdAt(), job.updatedAt());
    }
}
