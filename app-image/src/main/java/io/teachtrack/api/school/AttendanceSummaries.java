package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheKey;
import io.teachtrack.api.school.Records.AttendanceCounts;
import io.teachtrack.api.school.Records.ClassSummary;
import io.teachtrack.api.school.Records.StudentSummary;
import io.teachtrack.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;

/** Attendance counts per enrolled student and class: one aggregate query each, cached until attendance changes. */
@ApplicationScoped
public class AttendanceSummaries {

    private static final String COUNTS = """
            SELECT e.class_id, e.student_id,
                   COALESCE(SUM(a.status = 'PRESENT'), 0) AS present,
                   COALESCE(SUM(a.status = 'LATE'), 0)    AS late,
                   COALESCE(SUM(a.status = 'ABSENT'), 0)  AS absent,
                   COALESCE(SUM(a.status = 'EXCUSED'), 0) AS excused
            FROM enrollments e
            LEFT JOIN lessons l ON l.class_id = e.class_id
            LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = e.student_id
            """;

    private final CachedReads reads;

    public AttendanceSummaries(CachedReads reads) {
        this.reads = reads;
    }

    public ClassSummary forClass(Caller caller, long classId) {
        return reads.computed(caller, new CacheKey(Scopes.classSummary(classId), "summary"), ClassSummary.class, handle -> new ClassSummary(
                classId,
                handle.createQuery("SELECT COUNT(*) FROM lessons WHERE class_id = :id").bind("id", classId).mapTo(Integer.class).one(),
                handle.createQuery(COUNTS + " WHERE e.class_id = :id GROUP BY e.class_id, e.student_id ORDER BY e.student_id")
                        .bind("id", classId).mapTo(AttendanceCounts.class).list()));
    }

    public StudentSummary forStudent(Caller caller, long studentId) {
        return reads.computed(caller, new CacheKey(Scopes.studentSummary(studentId), "summary"), StudentSummary.class, handle -> new StudentSummary(
                studentId,
                handle.createQuery(COUNTS + " WHERE e.student_id = :id GROUP BY e.class_id, e.student_id ORDER BY e.class_id")
                        .bind("id", studentId).mapTo(AttendanceCounts.class).list()));
    }
}
