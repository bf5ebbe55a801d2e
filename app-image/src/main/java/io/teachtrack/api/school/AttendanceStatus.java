package io.teachtrack.api.school;

public enum AttendanceStatus { PRESENT, LATE, ABSENT, EXCUSED }
