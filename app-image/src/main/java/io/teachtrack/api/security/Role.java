package io.teachtrack.api.security;

/** What a user may do: admin everything, a teacher their own classes, a student their own attendance. */
public enum Role {
    admin, teacher, student;

    public static final String ADMIN = "admin";
    public static final String TEACHER = "teacher";
    public static final String STUDENT = "student";
}
