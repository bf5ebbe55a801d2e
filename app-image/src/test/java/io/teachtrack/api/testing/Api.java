package io.teachtrack.api.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A REST client for the tests: logs users in and builds the school data they need, each test with its own names. */
public final class Api {

    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis() % 1_000_000);

    private Api() {
    }

    public static String unique(String prefix) {
        return prefix + SEQUENCE.incrementAndGet();
    }

    public static String token(String username, String password) {
        Response response = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/token");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath().getString("token");
    }

    public static String adminToken() {
        return token("admin", Platform.ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String token) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    /** Creates a row as the admin and returns its id. */
    public static long create(String admin, String path, Map<String, ?> body) {
        Response response = as(admin).body(body).post(path);
        assertThat(response.statusCode()).as(path + " " + response.asString()).isEqualTo(201);
        return response.jsonPath().getLong("id");
    }

    /** A teacher with a login; returns {teacherId, token}. */
    public static Teacher teacher(String admin) {
        String name = unique("teacher");
        long id = create(admin, "/api/v1/teachers", Map.of("name", name, "email", name + "@school.test"));
        create(admin, "/api/v1/users", Map.of("username", name, "password", "password-" + name, "role", "teacher", "teacherId", id));
        return new Teacher(id, token(name, "password-" + name));
    }

    public record Teacher(long id, String token) {
    }

    public static long student(String admin) {
        String name = unique("student");
        return create(admin, "/api/v1/students", Map.of("name", name, "email", name + "@school.test"));
    }

    /** Enrolls the students in the class, as {@code token} (the admin or the class's teacher). */
    public static void enroll(String token, long classId, long... studentIds) {
        for (long student : studentIds) {
            as(token).body(Map.of("studentId", student)).post("/api/v1/classes/" + classId + "/enrollments").then().statusCode(201);
        }
    }

    /** New students, enrolled in the class by {@code token} (the admin or the class's teacher); their ids. */
    public static long[] enrolledStudents(String admin, String token, long classId, int count) {
        long[] students = new long[count];
        for (int i = 0; i < count; i++) {
            students[i] = student(admin);
        }
        enroll(token, classId, students);
        return students;
    }

    public static long classOf(String admin, long teacherId) {
        long subject = create(admin, "/api/v1/subjects", Map.of("code", unique("S"), "name", "Mathematics"));
        return create(admin, "/api/v1/classes", Map.of("subjectId", subject, "teacherId", teacherId, "groupName", unique("group-")));
    }
}
