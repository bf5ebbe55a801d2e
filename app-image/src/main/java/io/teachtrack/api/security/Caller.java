package io.teachtrack.api.security;

/** The authenticated user of a request, as the token states it. */
public record Caller(long userId, String username, Role role, Long teacherId, Long studentId) {

    public boolean isAdmin() {
        return role == Role.admin;
    }

    public boolean teaches(long classTeacherId) {
        return role == Role.teacher && teacherId != null && teacherId == classTeacherId;
    }

    public boolean is(long studentId) {
        return role == Role.student && this.studentId != null && this.studentId == studentId;
    }
}
