package io.teachtrack.api.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.db.Freshness;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * The attendance report of a class: per student, attended and missed lessons and the attendance rate, plus the class
 * average. Reads through the router as the requesting user, so it includes everything they wrote before asking.
 */
@ApplicationScoped
public class ClassReport implements JobHandler {

    public static final String TYPE = "class-attendance-report";

    private final DatabaseRouter db;
    private final ObjectMapper json;

    public ClassReport(DatabaseRouter db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public record Params(long classId) {
    }

    public record StudentLine(long studentId, String name, int attended, int missed, int unrecorded, double attendanceRate) {
    }

    public record Report(long classId, String subject, String groupName, String teacher, int lessons, double averageAttendanceRate,
                         List<StudentLine> students, Instant generatedAt) {
    }

    public record Header(long classId, String subject, String groupName, String teacher, int lessons) {
    }

    public record Row(long studentId, String name, int attended, int missed, int recorded) {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String run(Job job) throws Exception {
        long classId = json.readValue(job.params(), Params.class).classId();
        Report report = db.read(job.createdBy(), Freshness.ANY, handle -> {
            Header header = handle.createQuery("""
                            SELECT c.id AS class_id, s.name AS subject, c.group_name, t.name AS teacher,
                                   (SELECT COUNT(*) FROM lessons l WHERE l.class_id = c.id) AS lessons
                            FROM classes c JOIN subjects s ON s.id = c.subject_id JOIN teachers t ON t.id = c.teacher_id
                            WHERE c.id = :id""")
                    .bind("id", classId).mapTo(Header.class).findOne()
                    .orElseThrow(() -> new IllegalArgumentException("class " + classId + " does not exist"));
            List<StudentLine> lines = handle.createQuery("""
                            SELECT st.id AS student_id, st.name,
                                   COALESCE(SUM(a.status IN ('PRESENT', 'LATE')), 0) AS attended,
                                   COALESCE(SUM(a.status IN ('ABSENT', 'EXCUSED')), 0) AS missed,
                                   COUNT(a.status) AS recorded
                            FROM enrollments e JOIN students st ON st.id = e.student_id
                            LEFT JOIN lessons l ON l.class_id = e.class_id
                            LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = e.student_id
                            WHERE e.class_id = :id GROUP BY st.id, st.name ORDER BY st.id""")
                    .bind("id", classId).mapTo(Row.class).list().stream()
                    .map(row -> new StudentLine(row.studentId(), row.name(), row.attended(), row.missed(),
                            Math.max(0, header.lessons() - row.recorded()),
                            header.lessons() == 0 ? 0 : row.attended() / (double) header.lessons()))
                    .toList();
            double average = lines.stream().mapToDouble(StudentLine::attendanceRate).average().orElse(0);
            return new Report(classId, header.subject(), header.groupName(), header.teacher(), header.lessons(), average, lines, Instant.now());
        });
        return json.writeValueAsString(report);
    }
}
