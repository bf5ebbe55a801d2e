package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheScope;

/** The cache scopes of the school data: what a write must invalidate is named here once. */
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
}
