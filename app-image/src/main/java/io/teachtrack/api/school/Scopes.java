package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheScope;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The cache scopes of the school data, and for each kind of write every scope whose views show the rows it changes.
 * A view reads these tables: lists and single rows their own table; a roster enrollments and students (names and
 * e-mails); a lesson list lessons; a register attendance; a class summary lessons, enrollments and attendance; a
 * student summary enrollments, lessons and attendance. {@code CacheInvalidationTest} checks every write endpoint
 * against every view.
 */
final class Scopes {

    static final String CLASS = "class";
    static final String LESSON = "lesson";

    private Scopes() {
    }

    static CacheScope list(String kind) {
        return CacheScope.of(kind + "s");
    }

    static CacheScope roster(long classId) {
        return CacheScope.of("roster", classId);
    }

    static CacheScope lessons(long classId) {
        return CacheScope.of("lessons", classId);
    }

    static CacheScope attendance(long lessonId) {
        return CacheScope.of("attendance", lessonId);
    }

    static CacheScope classSummary(long classId) {
        return CacheScope.of("summary-class", classId);
    }

    static CacheScope studentSummary(long studentId) {
        return CacheScope.of("summary-student", studentId);
    }

    /** A row of a simple table created or changed: its list and the row (a 404 cached for a new id included). */
    static Set<CacheScope> row(String kind, long id) {
        return Set.of(list(kind), CacheScope.of(kind, id));
    }

    /**
     * The rosters that list a student, read in the write's transaction. An enrollment committing meanwhile cannot be
     * missed: its foreign-key check waits for the student row this write holds, so it commits later and bumps its own
     * roster.
     */
    static List<CacheScope> rostersListing(Handle handle, long studentId) {
        return handle.createQuery("SELECT class_id FROM enrollments WHERE student_id = :studentId").bind("studentId", studentId)
                .mapTo(Long.class).map(Scopes::roster).list();
    }

    /** A student enrolled in or removed from a class: the roster and both summaries. */
    static Set<CacheScope> enrollment(long classId, long studentId) {
        return Set.of(roster(classId), classSummary(classId), studentSummary(studentId));
    }

    /** The registers of a class's lessons that hold a student's attendance (to be read before it is deleted). */
    static List<CacheScope> registersListing(Handle handle, long classId, long studentId) {
        return handle.createQuery("""
                        SELECT DISTINCT a.lesson_id FROM attendance a JOIN lessons l ON l.id = a.lesson_id
                        WHERE l.class_id = :classId AND a.student_id = :studentId""")
                .bind("classId", classId).bind("studentId", studentId).mapTo(Long.class).map(Scopes::attendance).list();
    }

    /** A lesson added: the class's lessons, its summary (it counts lessons) and the lesson (a cached 404 included). */
    static Set<CacheScope> lessonAdded(long classId, long lessonId) {
        return Set.of(lessons(classId), classSummary(classId), CacheScope.of(LESSON, lessonId));
    }

    /** A register saved: the summaries of the students in it (the register and the class summary are amended). */
    static List<CacheScope> studentSummaries(Collection<Long> studentIds) {
        return studentIds.stream().map(Scopes::studentSummary).toList();
    }
}
