package io.teachtrack.api.bench;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.teachtrack.testkit.DatabaseServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A school big enough to measure: {@code classes} classes (one teacher each, with a login), each with
 * {@code studentsPerClass} enrolled students out of {@code students}, {@code lessonsPerClass} lessons and a full
 * register for every lesson. Ids are dense from 1, so workloads can address rows by arithmetic.
 */
public record SchoolSeed(int classes, int students, int studentsPerClass, int lessonsPerClass) {

    public static final int SUBJECTS = 50;
    /** User ids of teacher logins start after the admin's. */
    public static final long TEACHER_USER_BASE = 100_000;
    private static final String[] STATUSES = {"PRESENT", "PRESENT", "PRESENT", "LATE", "ABSENT", "EXCUSED"};
    private static final int BATCH = 5_000;

    public long attendanceRows() {
        return (long) classes * lessonsPerClass * studentsPerClass;
    }

    /** The k-th student enrolled in class c (both from 1). */
    public long student(long classId, int k) {
        return ((classId - 1) * studentsPerClass + k - 1) % students + 1;
    }

    public long lesson(long classId, int j) {
        return (classId - 1) * lessonsPerClass + j;
    }

    /** Inserts everything as root on the primary (the schema must exist: an app has migrated it). */
    public void load(DatabaseServer primary) throws SQLException {
        String hash = BcryptUtil.bcryptHash("bench-password");
        try (Connection db = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + primary.port()
                + "/teachtrack?rewriteBatchedStatements=true&allowPublicKeyRetrieval=true", DatabaseServer.ROOT_USER, primary.rootPassword())) {
            db.setAutoCommit(false);
            insert(db, "INSERT INTO subjects (id, code, name) VALUES (?, ?, ?)", SUBJECTS, (ps, i) -> {
                ps.setLong(1, i);
                ps.setString(2, "SUBJ-" + i);
                ps.setString(3, "Subject " + i);
            });
            insert(db, "INSERT INTO teachers (id, name, email) VALUES (?, ?, ?)", classes, (ps, i) -> {
                ps.setLong(1, i);
                ps.setString(2, "Teacher " + i);
                ps.setString(3, "teacher" + i + "@bench.test");
            });
            insert(db, "INSERT INTO users (id, username, password_hash, role, teacher_id) VALUES (?, ?, ?, 'teacher', ?)", classes, (ps, i) -> {
                ps.setLong(1, TEACHER_USER_BASE + i);
                ps.setString(2, "teacher" + i);
                ps.setString(3, hash);
                ps.setLong(4, i);
            });
            insert(db, "INSERT INTO students (id, name, email) VALUES (?, ?, ?)", students, (ps, i) -> {
                ps.setLong(1, i);
                ps.setString(2, "Student " + i);
                ps.setString(3, "student" + i + "@bench.test");
            });
            insert(db, "INSERT INTO classes (id, subject_id, teacher_id, group_name) VALUES (?, ?, ?, ?)", classes, (ps, i) -> {
                ps.setLong(1, i);
                ps.setLong(2, (i - 1) % SUBJECTS + 1);
                ps.setLong(3, i);
                ps.setString(4, "group-" + i);
            });
            insert(db, "INSERT INTO enrollments (class_id, student_id) VALUES (?, ?)", (long) classes * studentsPerClass, (ps, i) -> {
                long classId = (i - 1) / studentsPerClass + 1;
                ps.setLong(1, classId);
                ps.setLong(2, student(classId, (int) ((i - 1) % studentsPerClass) + 1));
            });
            Instant termStart = Instant.parse("2026-09-01T08:00:00Z");
            insert(db, "INSERT INTO lessons (id, class_id, starts_at, topic) VALUES (?, ?, ?, ?)", (long) classes * lessonsPerClass, (ps, i) -> {
                long classId = (i - 1) / lessonsPerClass + 1;
                ps.setLong(1, i);
                ps.setLong(2, classId);
                ps.setTimestamp(3, Timestamp.from(termStart.plus((i - 1) % lessonsPerClass, ChronoUnit.DAYS)));
                ps.setString(4, "Lesson " + i);
            });
            insert(db, "INSERT INTO attendance (lesson_id, student_id, status) VALUES (?, ?, ?)", attendanceRows(), (ps, i) -> {
                long lessonId = (i - 1) / studentsPerClass + 1;
                long classId = (lessonId - 1) / lessonsPerClass + 1;
                ps.setLong(1, lessonId);
                ps.setLong(2, student(classId, (int) ((i - 1) % studentsPerClass) + 1));
                ps.setString(3, STATUSES[ThreadLocalRandom.current().nextInt(STATUSES.length)]);
            });
        }
    }

    @FunctionalInterface
    private interface Row {
        void bind(PreparedStatement statement, long index) throws SQLException;
    }

    private static void insert(Connection db, String sql, long rows, Row row) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (long i = 1; i <= rows; i++) {
                row.bind(statement, i);
                statement.addBatch();
                if (i % BATCH == 0 || i == rows) {
                    statement.executeBatch();
                    db.commit();
                }
            }
        }
    }
}
