package io.teachtrack.api.school;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write endpoint against every view: a small school is built, every view of it is read (so cached), one write
 * is made, and then every view must answer exactly what it answers with nothing cached (Redis flushed, replicas
 * caught up). The views include the 404s of the next ids, so a created row hidden behind a cached 404 is caught too.
 * The write endpoints are taken from the OpenAPI document: a new one without a scenario here fails the test.
 */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class CacheInvalidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ids a create may take next, read as 404s before it (a failed insert can consume an id). */
    private static final int NEXT_IDS = 3;

    /** The school each scenario starts from: a class of two students with one lesson and its register, one student outside. */
    private record School(String admin, Api.Teacher teacher, long subject, long schoolClass, long alice, long bob, long outsider, long lesson) {

        static School build() {
            String admin = Api.adminToken();
            Api.Teacher teacher = Api.teacher(admin);
            long subject = Api.create(admin, "/api/v1/subjects", Map.of("code", Api.unique("S"), "name", "Chemistry"));
            long schoolClass = Api.create(admin, "/api/v1/classes", Map.of("subjectId", subject, "teacherId", teacher.id(), "groupName", Api.unique("g")));
            long alice = Api.student(admin);
            long bob = Api.student(admin);
            long outsider = Api.student(admin);
            Api.enroll(admin, schoolClass, alice, bob);
            long lesson = Api.create(admin, "/api/v1/classes/" + schoolClass + "/lessons", Map.of("startsAt", "2026-09-01T08:00:00Z", "topic", "Acids"));
            Api.as(admin).body(Map.of("records", List.of(Map.of("studentId", alice, "status", "PRESENT"), Map.of("studentId", bob, "status", "ABSENT"))))
                    .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(200);
            return new School(admin, teacher, subject, schoolClass, alice, bob, outsider, lesson);
        }

        /** Every view of this school, by name: path and the token it is read with. */
        Map<String, View> views() {
            Map<String, View> views = new LinkedHashMap<>();
            list(views, "subjects", subject);
            list(views, "teachers", teacher.id());
            list(views, "students", alice);
            list(views, "classes", schoolClass);
            views.put("classes as their teacher", new View(teacher.token(), "/api/v1/classes?limit=100&after=" + (schoolClass - 1)));
            views.put("subject", new View(admin, "/api/v1/subjects/" + subject));
            views.put("teacher", new View(admin, "/api/v1/teachers/" + teacher.id()));
            for (long student : List.of(alice, bob, outsider)) {
                views.put("student " + student, new View(admin, "/api/v1/students/" + student));
                views.put("summary of student " + student, new View(admin, "/api/v1/students/" + student + "/attendance-summary"));
            }
            views.put("class", new View(teacher.token(), "/api/v1/classes/" + schoolClass));
            views.put("roster", new View(teacher.token(), "/api/v1/classes/" + schoolClass + "/students"));
            views.put("lessons", new View(teacher.token(), "/api/v1/classes/" + schoolClass + "/lessons"));
            views.put("class summary", new View(teacher.token(), "/api/v1/classes/" + schoolClass + "/attendance-summary"));
            views.put("lesson", new View(teacher.token(), "/api/v1/lessons/" + lesson));
            views.put("register", new View(teacher.token(), "/api/v1/lessons/" + lesson + "/attendance"));
            for (int next = 1; next <= NEXT_IDS; next++) {
                views.put("subject +" + next, new View(admin, "/api/v1/subjects/" + (subject + next)));
                views.put("teacher +" + next, new View(admin, "/api/v1/teachers/" + (teacher.id() + next)));
                views.put("student +" + next, new View(admin, "/api/v1/students/" + (outsider + next)));
                views.put("class +" + next, new View(admin, "/api/v1/classes/" + (schoolClass + next)));
                views.put("lesson +" + next, new View(admin, "/api/v1/lessons/" + (lesson + next)));
            }
            return views;
        }

        /** The page of a list that holds this school's rows and any created after them. */
        private void list(Map<String, View> views, String name, long first) {
            views.put(name, new View(admin, "/api/v1/" + name + "?limit=100&after=" + (first - 1)));
        }

        Response post(String path, Map<String, ?> body) {
            return Api.as(admin).body(body).post(path);
        }

        Response put(String path, Map<String, ?> body) {
            return Api.as(admin).body(body).put(path);
        }
    }

    private record View(String token, String path) {
        Answer read() {
            Response response = Api.as(token).get(path);
            return new Answer(response.statusCode(), response.asString());
        }
    }

    private record Answer(int status, String body) {
    }

    /** One write endpoint, made once on a fresh school; answers its status. */
    private record Scenario(String operation, ToIntFunction<School> write) {
    }

    private static List<Scenario> scenarios() {
        return List.of(
                new Scenario("POST /api/v1/subjects", school -> school.post("/api/v1/subjects",
                        Map.of("code", Api.unique("S"), "name", "Physics")).statusCode()),
                new Scenario("PUT /api/v1/subjects/{id}", school -> school.put("/api/v1/subjects/" + school.subject(),
                        Map.of("code", Api.unique("S"), "name", "Organic chemistry")).statusCode()),
                new Scenario("POST /api/v1/teachers", school -> school.post("/api/v1/teachers",
                        Map.of("name", "Rosalind", "email", Api.unique("rf") + "@school.test")).statusCode()),
                new Scenario("PUT /api/v1/teachers/{id}", school -> school.put("/api/v1/teachers/" + school.teacher().id(),
                        Map.of("name", "Renamed teacher", "email", Api.unique("rt") + "@school.test")).statusCode()),
                new Scenario("POST /api/v1/students", school -> school.post("/api/v1/students",
                        Map.of("name", "Newcomer", "email", Api.unique("new") + "@school.test")).statusCode()),
                new Scenario("PUT /api/v1/students/{id}", school -> school.put("/api/v1/students/" + school.alice(),
                        Map.of("name", "Alice Renamed", "email", Api.unique("alice") + "@school.test")).statusCode()),
                new Scenario("POST /api/v1/classes", school -> school.post("/api/v1/classes",
                        Map.of("subjectId", school.subject(), "teacherId", school.teacher().id(), "groupName", Api.unique("g"))).statusCode()),
                new Scenario("POST /api/v1/classes/{id}/enrollments", school -> school.post(
                        "/api/v1/classes/" + school.schoolClass() + "/enrollments", Map.of("studentId", school.outsider())).statusCode()),
                new Scenario("DELETE /api/v1/classes/{id}/enrollments/{studentId}", school -> Api.as(school.admin())
                        .delete("/api/v1/classes/" + school.schoolClass() + "/enrollments/" + school.alice()).statusCode()),
                new Scenario("POST /api/v1/classes/{id}/lessons", school -> school.post("/api/v1/classes/" + school.schoolClass() + "/lessons",
                        Map.of("startsAt", "2026-09-02T08:00:00Z", "topic", "Bases")).statusCode()),
                new Scenario("PUT /api/v1/lessons/{id}/attendance", school -> school.put("/api/v1/lessons/" + school.lesson() + "/attendance",
                        Map.of("records", List.of(Map.of("studentId", school.alice(), "status", "LATE")))).statusCode()),
                new Scenario("POST /api/v1/reports", school -> school.post("/api/v1/reports", Map.of("classId", school.schoolClass())).statusCode()),
                new Scenario("POST /api/v1/users", school -> school.post("/api/v1/users", Map.of("username", Api.unique("pupil"),
                        "password", "pupil-password-" + Api.unique(""), "role", "student", "studentId", school.bob())).statusCode()),
                new Scenario("POST /api/v1/auth/token", school -> RestAssured.given().contentType("application/json")
                        .body(Map.of("username", "admin", "password", Platform.ADMIN_PASSWORD)).post("/api/v1/auth/token").statusCode()));
    }

    @Test
    void everyWriteEndpointHasAScenario() throws Exception {
        JsonNode paths = JSON.readTree(RestAssured.given().accept("application/json").get("/q/openapi?format=json").asString()).path("paths");
        Set<String> writes = new TreeSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("post", "put", "patch", "delete").contains(method)) {
                writes.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        assertThat(scenarios().stream().map(Scenario::operation).toList()).containsExactlyInAnyOrderElementsOf(writes);
    }

    @Test
    void afterEveryWriteEveryViewAnswersAsWithNothingCached() {
        List<String> stale = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            School school = School.build();
            Map<String, View> views = school.views();
            views.values().forEach(View::read);
            Map<String, Answer> cached = new LinkedHashMap<>();
            views.forEach((name, view) -> cached.put(name, view.read()));

            int status = scenario.write().applyAsInt(school);
            assertThat(status).as(scenario.operation()).isBetween(200, 299);

            Map<String, Answer> after = new LinkedHashMap<>();
            views.forEach((name, view) -> after.put(name, view.read()));
            Platform.onRedis(redis -> redis.flushall());
            Platform.databases().awaitCaughtUp(Duration.ofMinutes(1));
            int changed = 0;
            for (Map.Entry<String, View> view : views.entrySet()) {
                Answer truth = view.getValue().read();
                if (!truth.equals(cached.get(view.getKey()))) {
                    changed++;
                }
                if (!truth.equals(after.get(view.getKey()))) {
                    stale.add(scenario.operation() + ": " + view.getKey() + " answered " + after.get(view.getKey()) + ", not " + truth);
                }
            }
            System.out.printf("[cache-invalidation] %s changed %d of %d views%n", scenario.operation(), changed, views.size());
        }
        assertThat(stale).as("views left stale by a write").isEmpty();
    }
}
