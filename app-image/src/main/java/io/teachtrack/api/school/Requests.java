package io.teachtrack.api.school;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** Request bodies, validated before anything touches the database (422 with the fields at fault). */
public final class Requests {

    private Requests() {
    }

    public record PersonInput(@NotBlank @Size(max = 200) String name, @NotBlank @Email @Size(max = 254) String email) {
    }

    public record SubjectInput(@NotNull @Pattern(regexp = "[A-Z0-9-]{2,32}", message = "2-32 upper-case letters, digits or '-'") String code,
                               @NotBlank @Size(max = 200) String name) {
    }

    public record ClassInput(@NotNull @Positive Long subjectId, @NotNull @Positive Long teacherId,
                             @NotBlank @Size(max = 100) String groupName) {
    }

    public record EnrollmentInput(@NotNull @Positive Long studentId) {
    }

    public record LessonInput(@NotNull @StorableTime Instant startsAt, @NotBlank @Size(max = 200) String topic) {
    }

    public record AttendanceEntry(@NotNull @Positive Long studentId, @NotNull AttendanceStatus status) {
    }

    /** A whole lesson's register, or part of it; applying it twice changes nothing. */
    public record AttendanceInput(@NotEmpty @Size(max = 500) List<@NotNull @Valid AttendanceEntry> records) {
    }

    public record ReportInput(@NotNull @Positive Long classId) {
    }
}
