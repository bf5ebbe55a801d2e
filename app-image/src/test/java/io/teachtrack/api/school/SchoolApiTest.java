package io.teachtrack.api.school;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Every endpoint's happy path and its bad inputs, against real MariaDB and Redis. */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class SchoolApiTest {

    private String admin;

    @BeforeEach
    void login() {
        admin = Api.adminToken();
    }

    @Test
    void teachersAreCreatedReadListedAndRenamed() {
        String name = Api.unique("ada");
        long id = Api.create(admin, "/api/v1/teachers", Map.of("name", name, "email", name + "@school.test"));
        Api.as(admin).get("/api/v1/teachers/" + id).then().statusCode(200)
                .body("name", equalTo(name)).body("email", equalTo(name + "@school.test"));
        Api.as(admin).body(Map.of("name", name + " Lovelace", "email", name + "@school.test")).put("/api/v1/teachers/" + id)
                .then().statusCode(200).body("name", equalTo(name + " Lovelace"));
        Api.as(admin).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name + " Lovelace"));
        Api.as(admin).queryParam("after", id - 1).queryParam("limit", 1).get("/api/v1/teachers")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo((int) id));
    }

    @Test
    void listsArePaginatedByKeyset() {
        for (int i = 0; i < 3; i++) {
            Api.student(admin);
        }
        var first = Api.as(admin).queryParam("limit", 2).get("/api/v1/students").then().statusCode(200)
                .body("items", hasSize(2)).body("next", notNullValue()).extract().jsonPath();
        long next = first.getLong("next");
        assertThat(next).isEqualTo(first.getLong("items[1].id"));
        var second = Api.as(admin).queryParam("after", next).queryParam("limit", 100).get("/api/v1/students").then().statusCode(200)
                .extract().jsonPath();
        assertThat(second.getList("items.id", Long.class)).allMatch(id -> id > next);
        assertThat(second.getString("next")).isNull();
    }

    @Test
    void aClassHasARosterLessonsAndAnIdempotentRegister() {
        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        long[] students = Api.enrolledStudents(admin, teacher.token(), classId, 2);
        long ann = students[0];
        long bob = students[1];
        Api.as(teacher.token()).get("/api/v1/classes/" + classId + "/students").then().statusCode(200)
                .body("items.id", equalTo(List.of((int) ann, (int) bob)));

        long lesson = Api.as(teacher.token()).body(Map.of("startsAt", "2026-09-01T08:00:00Z", "topic", "Fractions"))
                .post("/api/v1/classes/" + classId + "/lessons").then().statusCode(201).body("topic", equalTo("Fractions"))
                .extract().jsonPath().getLong("id");
        Api.as(teacher.token()).get("/api/v1/lessons/" + lesson).then().statusCode(200).body("classId", equalTo((int) classId))
                .body("startsAt", equalTo("2026-09-01T08:00:00Z"));
        Api.as(teacher.token()).get("/api/v1/classes/" + classId + "/lessons").then().statusCode(200).body("items.id", hasItem((int) lesson));

        Map<String, Object> register = Map.of("records", List.of(
                Map.of("studentId", ann, "status", "PRESENT"), Map.of("studentId", bob, "status", "ABSENT")));
        for (int i = 0; i < 2; i++) { // the same register twice: the same result
            Api.as(teacher.token()).body(register).put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(200)
                    .body("records", hasSize(2)).body("records[0].status", equalTo("PRESENT")).body("records[1].status", equalTo("ABSENT"));
        }
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", bob, "status", "LATE"))))
                .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(200).body("records[1].status", equalTo("LATE"));
        Api.as(teacher.token()).get("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(200)
                .body("records.status", equalTo(List.of("PRESENT", "LATE")));

        Api.as(teacher.token()).get("/api/v1/classes/" + classId + "/attendance-summary").then().statusCode(200)
                .body("lessons", equalTo(1))
                .body("students[0].present", equalTo(1)).body("students[1].late", equalTo(1))
                .body("students[0].attendanceRate", equalTo(1.0f));
        Api.as(admin).get("/api/v1/students/" + bob + "/attendance-summary").then().statusCode(200)
                .body("classes", hasSize(1)).body("classes[0].late", equalTo(1)).body("classes[0].classId", equalTo((int) classId));

        Api.as(teacher.token()).delete("/api/v1/classes/" + classId + "/enrollments/" + bob).then().statusCode(204);
        Api.as(teacher.token()).get("/api/v1/classes/" + classId + "/students").then().statusCode(200).body("items", hasSize(1));
        Api.as(teacher.token()).delete("/api/v1/classes/" + classId + "/enrollments/" + bob).then().statusCode(404);
    }

    @Test
    void badInputIsAnsweredAsProblemDetailsWithTheFieldsAtFault() {
        Api.as(admin).body("{\"name\": ").post("/api/v1/teachers").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        Api.as(admin).body("{\"name\": 42, \"email\": [1]}").post("/api/v1/teachers").then().statusCode(400)
                .contentType("application/problem+json");
        Api.as(admin).body(Map.of("name", "", "email", "not-an-email")).post("/api/v1/teachers").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("email", "name")));
        Api.as(admin).queryParam("limit", 1000).get("/api/v1/teachers").then().statusCode(422)
                .body("errors[0].field", equalTo("limit"));
        Api.as(admin).get("/api/v1/teachers/987654321").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("987654321"));
        Api.as(admin).get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json");

        String email = Api.unique("dup") + "@school.test";
        Api.create(admin, "/api/v1/teachers", Map.of("name", "First", "email", email));
        Api.as(admin).body(Map.of("name", "Second", "email", email)).post("/api/v1/teachers").then().statusCode(409)
                .contentType("application/problem+json");

        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        long student = Api.student(admin);
        long lesson = Api.as(teacher.token()).body(Map.of("startsAt", "2026-09-02T08:00:00Z", "topic", "Decimals"))
                .post("/api/v1/classes/" + classId + "/lessons").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", student, "status", "PRESENT"))))
                .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(422)
                .body("errors[0].field", equalTo("records[0].studentId"));
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", student, "status", "ASLEEP"))))
                .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(400);
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("status", "PRESENT"))))
                .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(422)
                .body("errors[0].field", equalTo("records[0].studentId"));
        Api.enroll(teacher.token(), classId, student);
        Api.as(teacher.token()).body(Map.of("studentId", student)).post("/api/v1/classes/" + classId + "/enrollments").then().statusCode(409);
        Api.as(teacher.token()).body(Map.of("studentId", 987654321)).post("/api/v1/classes/" + classId + "/enrollments").then().statusCode(422);
        Api.as(admin).body(Map.of("subjectId", 987654321, "teacherId", teacher.id(), "groupName", "x"))
                .post("/api/v1/classes").then().statusCode(422);
    }

    @Test
    void subjectsAndStudentsAreReadAndChangedAndRefuseBadInput() {
        String code = Api.unique("PHY-").toUpperCase();
        long subject = Api.create(admin, "/api/v1/subjects", Map.of("code", code, "name", "Physics"));
        Api.as(admin).get("/api/v1/subjects/" + subject).then().statusCode(200).body("code", equalTo(code));
        Api.as(admin).body(Map.of("code", code, "name", "Applied physics")).put("/api/v1/subjects/" + subject)
                .then().statusCode(200).body("name", equalTo("Applied physics"));
        Api.as(admin).body(Map.of("code", code, "name", "Copy")).post("/api/v1/subjects").then().statusCode(409);
        Api.as(admin).body(Map.of("code", "lower case", "name", "X")).post("/api/v1/subjects").then().statusCode(422)
                .body("errors[0].field", equalTo("code"));
        Api.as(admin).body(Map.of("code", "NOPE-1", "name", "X")).put("/api/v1/subjects/987654321").then().statusCode(404);

        long student = Api.student(admin);
        Api.as(admin).get("/api/v1/students/" + student).then().statusCode(200).body("id", equalTo((int) student));
        String email = Api.unique("renamed") + "@school.test";
        Api.as(admin).body(Map.of("name", "Renamed", "email", email)).put("/api/v1/students/" + student)
                .then().statusCode(200).body("email", equalTo(email));
        Api.as(admin).get("/api/v1/students/" + student).then().statusCode(200).body("name", equalTo("Renamed"));
        Api.as(admin).get("/api/v1/students/987654321").then().statusCode(404);
        Api.as(admin).body(Map.of("name", "X", "email", "x@school.test")).put("/api/v1/students/987654321").then().statusCode(404);
        Api.as(admin).get("/api/v1/students/987654321/attendance-summary").then().statusCode(404);

        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        Api.as(admin).body(Map.of("teacherId", teacher.id())).post("/api/v1/classes").then().statusCode(422)
                .body("errors.field", equalTo(List.of("groupName", "subjectId")));
        Api.as(teacher.token()).body(Map.of("startsAt", "yesterday", "topic", "x")).post("/api/v1/classes/" + classId + "/lessons")
                .then().statusCode(400);
        Api.as(teacher.token()).body(Map.of("startsAt", "2026-09-05T08:00:00Z")).post("/api/v1/classes/" + classId + "/lessons")
                .then().statusCode(422).body("errors[0].field", equalTo("topic"));
        Api.as(teacher.token()).get("/api/v1/classes/987654321").then().statusCode(404);
        Api.as(teacher.token()).get("/api/v1/lessons/987654321").then().statusCode(404);
        Api.as(teacher.token()).body(Map.of()).post("/api/v1/reports").then().statusCode(422).body("errors[0].field", equalTo("classId"));
        Api.as(teacher.token()).body(Map.of("classId", 987654321)).post("/api/v1/reports").then().statusCode(404);
        Api.as(teacher.token()).get("/api/v1/reports/987654321").then().statusCode(404);
    }

    @Test
    void reportsAreAcceptedAndProducedByTheWorker() {
        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        long student = Api.student(admin);
        Api.enroll(teacher.token(), classId, student);
        long lesson = Api.as(teacher.token()).body(Map.of("startsAt", "2026-09-03T08:00:00Z", "topic", "Ratios"))
                .post("/api/v1/classes/" + classId + "/lessons").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", student, "status", "PRESENT"))))
                .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(200);

        var accepted = Api.as(teacher.token()).body(Map.of("classId", classId)).post("/api/v1/reports");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.header("Location")).endsWith("/api/v1/reports/" + accepted.jsonPath().getLong("id"));
        String location = "/api/v1/reports/" + accepted.jsonPath().getLong("id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.as(teacher.token()).get(location).then().statusCode(200).body("status", equalTo("DONE")));
        Api.as(teacher.token()).get(location).then().body("result.lessons", equalTo(1))
                .body("result.students[0].attended", equalTo(1)).body("result.averageAttendanceRate", equalTo(1.0f))
                .body("error", nullValue());

        var other = Api.teacher(admin);
        Api.as(other.token()).get(location).then().statusCode(403);
        Api.as(other.token()).body(Map.of("classId", classId)).post("/api/v1/reports").then().statusCode(403);
        Api.as(admin).get(location).then().statusCode(200);
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'database' }.data.replica", equalTo("up"));
        Api.as(admin).get("/api/v1/subjects").then().statusCode(200);
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("teachtrack_cache_requests_total", "teachtrack_db_routes_total", "teachtrack_replica_lag_seconds",
                "teachtrack_jobs_queue_depth", "hikaricp_connections");
        RestAssured.get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/classes/{id}/attendance-summary"));
    }
}
