-- The school: who teaches what to whom, and who was there.
CREATE TABLE teachers (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    email       VARCHAR(254) NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_teachers_email UNIQUE (email)
) ENGINE = InnoDB;

CREATE TABLE subjects (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    code        VARCHAR(32)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    CONSTRAINT uq_subjects_code UNIQUE (code)
) ENGINE = InnoDB;

CREATE TABLE students (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    email       VARCHAR(254) NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_students_email UNIQUE (email)
) ENGINE = InnoDB;

-- A class is a subject taught by a teacher to a group.
CREATE TABLE classes (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    subject_id  BIGINT       NOT NULL,
    teacher_id  BIGINT       NOT NULL,
    group_name  VARCHAR(100) NOT NULL,
    CONSTRAINT fk_classes_subject FOREIGN KEY (subject_id) REFERENCES subjects (id),
    CONSTRAINT fk_classes_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
    CONSTRAINT uq_classes UNIQUE (subject_id, group_name),
    INDEX ix_classes_teacher (teacher_id, id)
) ENGINE = InnoDB;

CREATE TABLE enrollments (
    class_id    BIGINT NOT NULL,
    student_id  BIGINT NOT NULL,
    enrolled_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (class_id, student_id),
    CONSTRAINT fk_enrollments_class FOREIGN KEY (class_id) REFERENCES classes (id),
    CONSTRAINT fk_enrollments_student FOREIGN KEY (student_id) REFERENCES students (id),
    INDEX ix_enrollments_student (student_id)
) ENGINE = InnoDB;

CREATE TABLE lessons (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    class_id    BIGINT       NOT NULL,
    starts_at   TIMESTAMP(0) NOT NULL,
    topic       VARCHAR(200) NOT NULL,
    CONSTRAINT fk_lessons_class FOREIGN KEY (class_id) REFERENCES classes (id),
    INDEX ix_lessons_class (class_id, id)
) ENGINE = InnoDB;

CREATE TABLE attendance (
    lesson_id   BIGINT      NOT NULL,
    student_id  BIGINT      NOT NULL,
    status      VARCHAR(16) NOT NULL,
    recorded_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (lesson_id, student_id),
    CONSTRAINT fk_attendance_lesson FOREIGN KEY (lesson_id) REFERENCES lessons (id),
    CONSTRAINT fk_attendance_student FOREIGN KEY (student_id) REFERENCES students (id),
    INDEX ix_attendance_student (student_id)
) ENGINE = InnoDB;

-- Login accounts. A teacher account is tied to a teacher, a student account to a student.
CREATE TABLE users (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    teacher_id    BIGINT NULL,
    student_id    BIGINT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT fk_users_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
    CONSTRAINT fk_users_student FOREIGN KEY (student_id) REFERENCES students (id)
) ENGINE = InnoDB;
