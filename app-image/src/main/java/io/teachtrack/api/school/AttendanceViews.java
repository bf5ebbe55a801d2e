package io.teachtrack.api.school;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teachtrack.api.cache.CacheKey;
import io.teachtrack.api.cache.Entries;
import io.teachtrack.api.cache.Entries.Entry;
import io.teachtrack.api.school.Records.Attendance;
import io.teachtrack.api.school.Records.AttendanceCounts;
import io.teachtrack.api.school.Records.ClassSummary;
import io.teachtrack.api.school.Records.StudentSummary;
import io.teachtrack.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A lesson's register and the attendance summaries. A register and a class's summary are cached as entries, one per
 * attendance row with the row's version, which a saved register amends in place after its commit: the hottest views
 * of the school stay cached while attendance is taken. What a register's save does not change (the roster, the number
 * of lessons) is the summary's base; writes to those drop the summary's scope as before. A student's summary spans
 * classes and is cached whole, dropped by every change.
 */
@ApplicationScoped
public class AttendanceViews {

    private static final String ENTRIES = "entries";
    private static final String STUDENT_COUNTS = """
            SELECT e.class_id, e.student_id,
                   COALESCE(SUM(a.status = 'PRESENT'), 0) AS present,
                   COALESCE(SUM(a.status = 'LATE'), 0)    AS late,
                   COALESCE(SUM(a.status = 'ABSENT'), 0)  AS absent,
                   COALESCE(SUM(a.status = 'EXCUSED'), 0) AS excused
            FROM enrollments e
            LEFT JOIN lessons l ON l.class_id = e.class_id
            LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = e.student_id
            WHERE e.student_id = :id GROUP BY e.class_id, e.student_id ORDER BY e.class_id""";

    /** What a class summary holds besides its entries: the number of lessons and the enrolled students. */
    record SummaryBase(int lessons, List<Long> students) {
    }

    /** One attendance row with the version its last change gave it. */
    private record Row(long lessonId, long studentId, String status, long version) {
    }

    private static final RowMapper<Row> ROW = (rs, ctx) -> new Row(rs.getLong("lesson_id"), rs.getLong("student_id"),
            rs.getString("status"), rs.getLong("version"));

    private final CachedReads reads;
    private final ObjectMapper json;

    public AttendanceViews(CachedReads reads, ObjectMapper json) {
        this.reads = reads;
        this.json = json;
    }

    public LessonResource.Register register(Caller caller, long lessonId) {
        Entries register = reads.entries(caller, registerKey(lessonId), handle -> new Entries("", registerEntries(rowsOfLesson(handle, lessonId))));
        return new LessonResource.Register(lessonId, register.entries().entrySet().stream()
                .map(entry -> new Attendance(Long.parseLong(entry.getKey()), AttendanceStatus.valueOf(entry.getValue().value())))
                .sorted(Comparator.comparingLong(Attendance::studentId))
                .toList());
    }

    public ClassSummary forClass(Caller caller, long classId) {
        Entries summary = reads.entries(caller, classSummaryKey(classId), handle -> loadClassSummary(handle, classId));
        SummaryBase base = decode(summary.base());
        Map<Long, EnumMap<AttendanceStatus, Integer>> counts = new HashMap<>();
        summary.entries().forEach((field, entry) -> counts.computeIfAbsent(studentOf(field), student -> new EnumMap<>(AttendanceStatus.class))
                .merge(AttendanceStatus.valueOf(entry.value()), 1, Integer::sum));
        List<AttendanceCounts> students = new ArrayList<>();
        for (long student : base.students()) {
            Map<AttendanceStatus, Integer> of = counts.getOrDefault(student, new EnumMap<>(AttendanceStatus.class));
            students.add(new AttendanceCounts(classId, student, of.getOrDefault(AttendanceStatus.PRESENT, 0),
                    of.getOrDefault(AttendanceStatus.LATE, 0), of.getOrDefault(AttendanceStatus.ABSENT, 0),
                    of.getOrDefault(AttendanceStatus.EXCUSED, 0)));
        }
        return new ClassSummary(classId, base.lessons(), students);
    }

    public StudentSummary forStudent(Caller caller, long studentId) {
        return reads.computed(caller, new CacheKey(Scopes.studentSummary(studentId), "summary"), StudentSummary.class, handle -> new StudentSummary(
                studentId, handle.createQuery(STUDENT_COUNTS).bind("id", studentId).mapTo(AttendanceCounts.class).list()));
    }

    /**
     * Inside a register's save, after its rows were written: the register read back on the writing connection (the
     * rows are this transaction's, locked until its commit, so their versions are this write's), and the entries of
     * the register and of the class summary declared for amendment after the commit.
     */
    LessonResource.Register saved(Handle handle, Writes.Changes changes, long lessonId, long classId, Collection<Long> studentIds) {
        List<Row> rows = rowsOfLesson(handle, lessonId);
        Set<Long> written = Set.copyOf(studentIds);
        List<Row> changed = rows.stream().filter(row -> written.contains(row.studentId())).toList();
        changes.amend(registerKey(lessonId), registerEntries(changed)).amend(classSummaryKey(classId), summaryEntries(changed));
        return new LessonResource.Register(lessonId, rows.stream()
                .map(row -> new Attendance(row.studentId(), AttendanceStatus.valueOf(row.status()))).toList());
    }

    private static CacheKey registerKey(long lessonId) {
        return new CacheKey(Scopes.attendance(lessonId), ENTRIES);
    }

    private static CacheKey classSummaryKey(long classId) {
        return new CacheKey(Scopes.classSummary(classId), ENTRIES);
    }

    private static List<Row> rowsOfLesson(Handle handle, long lessonId) {
        return handle.createQuery("SELECT lesson_id, student_id, status, version FROM attendance WHERE lesson_id = :id ORDER BY student_id")
                .bind("id", lessonId)
                .map(ROW)
                .list();
    }

    private Entries loadClassSummary(Handle handle, long classId) {
        int lessons = handle.createQuery("SELECT COUNT(*) FROM lessons WHERE class_id = :id").bind("id", classId).mapTo(Integer.class).one();
        // Every enrolled student with their rows in this class's lessons; one without any comes once, with no status.
        List<Row> rows = handle.createQuery("""
                        SELECT e.student_id, a.lesson_id, a.status, a.version
                        FROM enrollments e
                        LEFT JOIN (attendance a JOIN lessons l ON l.id = a.lesson_id AND l.class_id = :id) ON a.student_id = e.student_id
                        WHERE e.class_id = :id""")
                .bind("id", classId)
                .map(ROW)
                .list();
        List<Long> students = rows.stream().map(Row::studentId).distinct().sorted().toList();
        List<Row> recorded = rows.stream().filter(row -> row.status() != null).toList();
        return new Entries(encode(new SummaryBase(lessons, students)), summaryEntries(recorded));
    }

    /** A register's entry per attendance row: the student. */
    private static Map<String, Entry> registerEntries(List<Row> rows) {
        return entries(rows, row -> String.valueOf(row.studentId()));
    }

    /** A summary's entry per attendance row: {@code lesson:student}. */
    private static Map<String, Entry> summaryEntries(List<Row> rows) {
        return entries(rows, row -> row.lessonId() + ":" + row.studentId());
    }

    private static Map<String, Entry> entries(List<Row> rows, Function<Row, String> field) {
        Map<String, Entry> entries = new HashMap<>();
        rows.forEach(row -> entries.put(field.apply(row), new Entry(row.version(), row.status())));
        return entries;
    }

    private static long studentOf(String summaryField) {
        return Long.parseLong(summaryField.substring(summaryField.indexOf(':') + 1));
    }

    private String encode(SummaryBase base) {
        try {
            return json.writeValueAsString(base);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a summary's base", e);
        }
    }

    private SummaryBase decode(String base) {
        try {
            return json.readValue(base, SummaryBase.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cached summary's base does not decode; bump CacheScope.LAYOUT when changing it", e);
        }
    }
}
