package io.teachtrack.api.web;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.teachtrack.api.testing.AppProcess;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.ReplicatedDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A pod whose primary is not there yet, then is, then is gone: alive throughout, ready only with the primary, and
 * answering 503 with Retry-After (never hanging, never a 500) while the primary is unreachable.
 */
class PrimaryOutageIT {

    private static final Path DIR = Path.of("target", "primary-outage-it").toAbsolutePath();

    @Test
    void withoutItsPrimaryAPodStaysAliveAnswers503AndRecoversOnItsOwn() {
        DatabaseServer primary = DatabaseServer.builder(Platform.ENGINE, DIR.resolve(Platform.ENGINE.image()), "primary-0").build();
        Map<String, String> env = AppProcess.podEnvironment("api", primary.jdbcUrl(ReplicatedDatabases.DATABASE), null, null);
        try (primary; AppProcess api = AppProcess.start("api-no-primary", env, DIR)) {
            api.awaitHealth("/q/health/live", 200, Duration.ofSeconds(60));
            RestAssured.given().baseUri(api.baseUrl()).get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'primary-database' }.data.schema", equalTo("pending"));
            RestAssured.given().baseUri(api.baseUrl()).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", Platform.ADMIN_PASSWORD)).post("/api/v1/auth/token")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");

            primary.start();
            ReplicatedDatabases.provisionApp(primary);
            api.awaitHealth("/q/health/ready", 200, Duration.ofSeconds(60));
            String token = RestAssured.given().baseUri(api.baseUrl()).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", Platform.ADMIN_PASSWORD)).post("/api/v1/auth/token")
                    .then().statusCode(200).body("token", notNullValue()).extract().jsonPath().getString("token");

            primary.kill();
            RestAssured.given().baseUri(api.baseUrl()).header("Authorization", "Bearer " + token).get("/api/v1/teachers")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");
            api.awaitHealth("/q/health/ready", 503, Duration.ofSeconds(20));
            api.awaitHealth("/q/health/live", 200, Duration.ofSeconds(5));
        }
    }
}
