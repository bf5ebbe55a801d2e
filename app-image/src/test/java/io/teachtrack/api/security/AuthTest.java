package io.teachtrack.api.security;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.api.testing.TestKeys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Tokens, roles and rate limits, through the real HTTP stack. */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class AuthTest {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    @Test
    void aPasswordBuysAShortLivedRs256Token() {
        Response response = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Platform.ADMIN_PASSWORD)).post("/api/v1/auth/token");
        response.then().statusCode(200).body("token", notNullValue()).body("expiresIn", equalTo(900));
        String header = new String(Base64.getUrlDecoder().decode(response.jsonPath().getString("token").split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"RS256\"");
        Api.as(response.jsonPath().getString("token")).get("/api/v1/teachers").then().statusCode(200);
    }

    @Test
    void wrongPasswordsUnknownUsersAndBadBodiesAreRefused() {
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "wrong-password"))
                .post("/api/v1/auth/token").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("username", "nobody-here", "password", "whatever-1"))
                .post("/api/v1/auth/token").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("username", "admin"))
                .post("/api/v1/auth/token").then().statusCode(422).body("errors[0].field", equalTo("password"));
    }

    @Test
    void aUserNameThatFailedTenTimesWaitsEvenWithItsRightPasswordWhileOthersLogIn() {
        String admin = Api.adminToken();
        var teacher = Api.teacher(admin); // logged in once: the name exists and its password works
        String name = Api.as(admin).get("/api/v1/teachers/" + teacher.id()).jsonPath().getString("name");
        for (int i = 0; i < 10; i++) {
            RestAssured.given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "guess-" + i))
                    .post("/api/v1/auth/token").then().statusCode(401);
        }
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-" + name))
                .post("/api/v1/auth/token").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        assertThat(Api.adminToken()).as("another name, from the same address").isNotBlank();
    }

    @Test
    void missingExpiredTamperedUnsignedAndForeignTokensGet401() {
        String valid = Api.adminToken();
        RestAssured.get("/api/v1/teachers").then().statusCode(401).contentType("application/problem+json");
        String expired = Jwt.issuer("teachtrack").subject("1").upn("admin").groups(Set.of("admin"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign(TestKeys.PAIR.getPrivate());
        String foreign = Jwt.issuer("teachtrack").subject("1").upn("admin").groups(Set.of("admin")).expiresIn(600)
                .sign(TestKeys.OTHER.getPrivate());
        String otherIssuer = Jwt.issuer("evil").subject("1").upn("admin").groups(Set.of("admin")).expiresIn(600)
                .sign(TestKeys.PAIR.getPrivate());
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"admin\"", "\"teacher\"");
        String tampered = parts[0] + "." + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String unsigned = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        for (String token : List.of(expired, foreign, otherIssuer, tampered, unsigned, "not-a-token")) {
            Api.as(token).get("/api/v1/teachers").then().statusCode(401).contentType("application/problem+json");
        }
        Api.as(valid).get("/api/v1/teachers").then().statusCode(200);
    }

    @Test
    void rolesLimitWhatEachUserMayDo() {
        String admin = Api.adminToken();
        var teacher = Api.teacher(admin);
        var other = Api.teacher(admin);
        long theirClass = Api.classOf(admin, other.id());
        long ownClass = Api.classOf(admin, teacher.id());

        Api.as(teacher.token()).get("/api/v1/classes/" + ownClass).then().statusCode(200);
        Api.as(teacher.token()).get("/api/v1/classes/" + theirClass).then().statusCode(403).contentType("application/problem+json");
        Api.as(teacher.token()).get("/api/v1/classes/" + theirClass + "/attendance-summary").then().statusCode(403);
        Api.as(teacher.token()).body(Map.of("startsAt", "2026-09-04T08:00:00Z", "topic", "x"))
                .post("/api/v1/classes/" + theirClass + "/lessons").then().statusCode(403);
        Api.as(teacher.token()).body(Map.of("name", "X", "email", "x@school.test")).post("/api/v1/teachers").then().statusCode(403);
        Api.as(teacher.token()).get("/api/v1/classes").then().statusCode(200).body("items.id", equalTo(List.of((int) ownClass)));

        long student = Api.student(admin);
        long otherStudent = Api.student(admin);
        String username = Api.unique("pupil");
        Api.create(admin, "/api/v1/users", Map.of("username", username, "password", "password-" + username, "role", "student", "studentId", student));
        String pupil = Api.token(username, "password-" + username);
        Api.as(pupil).get("/api/v1/students/" + student + "/attendance-summary").then().statusCode(200);
        Api.as(pupil).get("/api/v1/students/" + otherStudent + "/attendance-summary").then().statusCode(403);
        Api.as(pupil).get("/api/v1/classes").then().statusCode(403);

        Api.as(admin).body(Map.of("username", username, "password", "another-password", "role", "student", "studentId", student))
                .post("/api/v1/users").then().statusCode(409);
        Api.as(admin).body(Map.of("username", Api.unique("t"), "password", "another-password", "role", "teacher"))
                .post("/api/v1/users").then().statusCode(422).body("errors[0].field", equalTo("teacherId"));
        Api.as(admin).body(Map.of("username", "X", "password", "short", "role", "admin"))
                .post("/api/v1/users").then().statusCode(422).body("errors.field", equalTo(List.of("password", "username")));
    }
}
