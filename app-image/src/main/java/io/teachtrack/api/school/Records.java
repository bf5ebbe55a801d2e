package io.teachtrack.api.school;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** What the API returns; the same records map from rows and are what the cache stores (as JSON). */
public final class Records {

    private Records() {
    }

    /** A teacher or a student. */
    public record Person(long id, String name, String email) {
    }

    public record Subject(long id, String code, String name) {
    }

    /** A subject taught by a teacher to a group. */
    public record SchoolClass(long id, long subjectId, long teacherId, String groupName) {
    }

    public record Lesson(long id, long classId, Instant startsAt, String topic) {
    }

    public record Attendance(long studentId, AttendanceStatus status) {
    }

    /** Attendance counts of one student in one class. */
    public record AttendanceCounts(long classId, long studentId, int present, int late, int absent, int excused) {
        @JsonProperty("attendanceRate")
        public double attendanceRate() {
            int total = present + late + absent + excused;
            return total == 0 ? 0 : (present + late) / (double) total;
        }
    }

    public record ClassSummary(long classId, int lessons, List<AttendanceCounts> students) {
    }

    public record StudentSummary(long studentId, List<AttendanceCounts> classes) {
    }
}
