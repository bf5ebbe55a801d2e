package io.teachtrack.api.web;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.AppProcess;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.RedisServer;
import io.teachtrack.testkit.ReplicatedDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A pod whose primary is not there yet, then is, then is gone: alive throughout, and answering 503 with Retry-After
 * (never hanging, never a 500) while the primary is unreachable. Without a replica it is ready only with the primary;
 * with one, it stays ready through the primary's outage and keeps answering reads from the replica, and with neither
 * database it stays ready on what the cache holds until the cache goes too. A primary fenced by a failover answers writes
 * 503 too, and the connection that met it is discarded.
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
                    .body("checks.find { it.name == 'database' }.data.schema", equalTo("pending"));
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

    @Test
    void aFencedPrimaryAnswersWrites503AndEveryConnectionToItIsRetired() throws Exception {
        DatabaseServer primary = DatabaseServer.builder(Platform.ENGINE, DIR.resolve("fenced-" + Platform.ENGINE.image()), "primary-0").build();
        try (primary) {
            primary.start();
            ReplicatedDatabases.provisionApp(primary);
            Map<String, String> env = AppProcess.podEnvironment("api", primary.jdbcUrl(ReplicatedDatabases.DATABASE), null, null);
            try (AppProcess api = AppProcess.start("api-fenced-primary", env, DIR)) {
                api.awaitHealth("/q/health/ready", 200, Duration.ofSeconds(60));
                RestAssured.baseURI = api.baseUrl();
                RestAssured.port = RestAssured.UNDEFINED_PORT;
                String admin = Api.adminToken();
                Api.create(admin, "/api/v1/subjects", Map.of("code", Api.unique("MUS"), "name", "Music"));
                Set<Long> before = appSessions(primary);
                assertThat(before).isNotEmpty();

                // What a failover's fence does to the old primary, without killing the sessions: read-only.
                primary.sql(Platform.ENGINE.makeReadOnly());
                Api.as(admin).body(Map.of("code", Api.unique("ART"), "name", "Art")).post("/api/v1/subjects")
                        .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");
                // Every connection the pool held was retired, not only the one that met the read-only error: each leads to
                // the same server, and each would cost a later write the same refusal (or, from a frozen one, a timeout).
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(appSessions(primary)).as("the pool's sessions before the error").doesNotContainAnyElementsOf(before));

                primary.makeWritable();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.as(admin).body(Map.of("code", Api.unique("PE"), "name", "PE"))
                        .post("/api/v1/subjects").then().statusCode(201));
            } finally {
                RestAssured.reset();
            }
        }
    }

    /** The ids of the app user's sessions on the server. */
    private static Set<Long> appSessions(DatabaseServer server) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection root = server.root(); ResultSet rs = root.createStatement()
                .executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + ReplicatedDatabases.APP_USER + "'")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void withAReplicaAPodWithoutItsPrimaryStaysReadyReadsFromTheReplicaAndAnswersWrites503() {
        ReplicatedDatabases servers = new ReplicatedDatabases(Platform.ENGINE, DIR.resolve("replicated-" + Platform.ENGINE.image()), 1);
        RedisServer redis = new RedisServer(DIR.resolve("redis"));
        try (servers; redis) {
            servers.start();
            redis.start();
            Map<String, String> env = AppProcess.podEnvironment("api", servers.primary().jdbcUrl(ReplicatedDatabases.DATABASE),
                    servers.replicaUrl(), redis);
            try (AppProcess api = AppProcess.start("api-with-replica", env, DIR)) {
                api.awaitHealth("/q/health/ready", 200, Duration.ofSeconds(60));
                RestAssured.baseURI = api.baseUrl();
                RestAssured.port = RestAssured.UNDEFINED_PORT;
                String admin = Api.adminToken();
                long subject = Api.create(admin, "/api/v1/subjects", Map.of("code", Api.unique("GEO"), "name", "Geography"));
                // A reader who never wrote: no write of theirs that a replica could miss.
                String reader = Api.teacher(admin).token();
                servers.awaitCaughtUp(Duration.ofSeconds(30));

                servers.primary().kill();
                // Ready all along: the pod notices the primary is gone and stays in its Service for the reads.
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'database' }.data.primary", equalTo("down"))
                        .body("checks.find { it.name == 'database' }.data.replica", equalTo("up")));
                Api.as(reader).get("/api/v1/subjects/" + subject).then().statusCode(200).body("name", equalTo("Geography"));
                Api.as(reader).get("/api/v1/subjects?limit=100").then().statusCode(200);
                Api.as(admin).body(Map.of("code", Api.unique("HIS"), "name", "History")).post("/api/v1/subjects")
                        .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");

                // No database at all: still ready while the cache answers; what it holds is served, the rest is 503.
                servers.replica().kill();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'database' }.data.replica", equalTo("degraded"))
                        .body("checks.find { it.name == 'database' }.data.cache", equalTo("serving")));
                Api.as(reader).get("/api/v1/subjects/" + subject).then().statusCode(200).body("name", equalTo("Geography"));
                Api.as(reader).get("/api/v1/subjects?limit=99").then().statusCode(503).header("Retry-After", "5");
                redis.kill();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(503));
                redis.start();

                servers.primary().start();
                servers.primary().makeWritable(); // every server starts read-only; the operator would make it writable
                servers.restartReplica();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.as(admin).body(Map.of("code", Api.unique("ART"), "name", "Art"))
                        .post("/api/v1/subjects").then().statusCode(201));
            } finally {
                RestAssured.reset();
            }
        }
    }
}
