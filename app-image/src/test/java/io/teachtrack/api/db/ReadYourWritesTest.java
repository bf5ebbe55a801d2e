package io.teachtrack.api.db;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.ReplicatedDatabases;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A replica that has stopped applying but stays within a generous lag budget (60 s) would serve old data to anyone.
 * Nobody reads older than their own write, and nobody re-caches old data after a write.
 */
@QuarkusTest
@TestProfile(ReadYourWritesTest.GenerousLagBudget.class)
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class ReadYourWritesTest {

    public static class GenerousLagBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("teachtrack.read-max-lag-seconds", "60");
        }
    }

    @Inject
    DatabaseRouter router;

    @Inject
    ReadYourWrites readYourWrites;

    private static final String SERVER_ID = "SELECT @@server_id";

    @Test
    void theRouterSendsARecentWritersReadsToThePrimaryUntilAReplicaHasTheWrite() {
        awaitReplicaUp();
        ReplicatedDatabases servers = Platform.databases();
        long primary = servers.primary().serverId();
        Set<Long> replicas = Set.of(servers.replicas().get(0).serverId(), servers.replicas().get(1).serverId());
        assertThat(readServerId(900_001L)).as("no recent write: a replica").isIn(replicas);

        servers.pauseApplying();
        try {
            readYourWrites.recordWrite(900_001L, System.currentTimeMillis());
            assertThat(readServerId(900_001L)).as("the writer, replicas behind: the primary").isEqualTo(primary);
            assertThat(readServerId(900_002L)).as("someone else: a replica").isIn(replicas);
        } finally {
            servers.resumeApplying();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(readServerId(900_001L)).as("a replica applied a heartbeat newer than the write").isIn(replicas));
    }

    @Test
    void eachReplicaIsJudgedOnItsOwnHeartbeat() {
        withOneReplicaStopped((behind, current, primary) -> {
            long user = 900_003L;
            readYourWrites.recordWrite(user, System.currentTimeMillis());
            // The stopped replica is well within this profile's 60 s lag budget: only its own heartbeat, older than the
            // write, keeps the writer's reads away from it, whichever replica the other one's heartbeat says.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(readServerId(user)).as("the replica that applied the write").isEqualTo(current));
            for (int i = 0; i < 10; i++) {
                assertThat(readServerId(user)).as("never the replica without the write").isIn(current, primary);
            }
            // Reads rotate: of two in a row by someone who did not write, one reaches the stopped replica (within budget).
            assertThat(Set.of(readServerId(900_004L), readServerId(900_004L))).as("a reader without writes").contains(behind);
        });
    }

    /**
     * A marker Redis did not take (here Redis is paused; on a loaded machine a command times out) is not lost: the pod
     * answers from its own memory and sends the marker again once Redis answers. Before, the writer's next reads went
     * to any replica, the one without the write included.
     */
    @Test
    void aMarkerRedisDidNotTakeStillKeepsTheWritersReadsOffAReplicaWithoutTheWrite() {
        withOneReplicaStopped((behind, current, primary) -> {
            long user = 900_005L;
            long writtenAt = System.currentTimeMillis();
            Platform.redis().pause();
            try {
                readYourWrites.recordWrite(user, writtenAt);
            } finally {
                Platform.redis().resume();
            }
            // Redis answers the app again (a user without writes is known to have none).
            await().atMost(Duration.ofSeconds(30)).until(() -> readYourWrites.lastWrite(900_006L) instanceof ReadYourWrites.LastWrite.None);
            assertThat(readYourWrites.lastWrite(user)).isEqualTo(new ReadYourWrites.LastWrite.At(writtenAt));
            String marker = Platform.onRedis(redis -> redis.get("tt:ryw:" + user));
            assertThat(marker).as("sent again").isEqualTo(Long.toString(writtenAt));
            for (int i = 0; i < 10; i++) {
                assertThat(readServerId(user)).as("never the replica without the write").isIn(current, primary);
            }
        });
    }

    /** The server ids while replica 0 does not apply (replica 1 keeps up). */
    @FunctionalInterface
    private interface StoppedReplicaCheck {
        void run(long behind, long current, long primary);
    }

    /** Runs the check while replica 0 stops applying; it applies again afterwards, whatever the check did. */
    private static void withOneReplicaStopped(StoppedReplicaCheck check) {
        awaitReplicaUp();
        ReplicatedDatabases servers = Platform.databases();
        DatabaseServer behind = servers.replicas().get(0);
        servers.pauseApplying(behind);
        try {
            check.run(behind.serverId(), servers.replicas().get(1).serverId(), servers.primary().serverId());
        } finally {
            servers.resumeApplying(behind);
        }
    }

    @Test
    void writersAndOthersSeeTheWriteThroughAnApiWhoseReplicaStoppedApplying() {
        awaitReplicaUp();
        String admin = Api.adminToken();
        var teacher = Api.teacher(admin);
        String name = Api.unique("hopper");
        long id = Api.create(admin, "/api/v1/teachers", Map.of("name", name, "email", name + "@school.test"));
        long classId = Api.classOf(admin, teacher.id());
        long student = Api.student(admin);
        Api.enroll(teacher.token(), classId, student);
        long lesson = Api.as(teacher.token()).body(Map.of("startsAt", "2026-09-07T08:00:00Z", "topic", "Vectors"))
                .post("/api/v1/classes/" + classId + "/lessons").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.as(teacher.token()).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name)); // cached
        ReplicatedDatabases servers = Platform.databases();
        servers.awaitCaughtUp(Duration.ofSeconds(10));

        servers.pauseApplying();
        try {
            Api.as(admin).body(Map.of("name", name + " Grace", "email", name + "@school.test")).put("/api/v1/teachers/" + id)
                    .then().statusCode(200);
            Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", student, "status", "PRESENT"))))
                    .put("/api/v1/lessons/" + lesson + "/attendance").then().statusCode(200);
            assertThat(servers.replica().queryString("SELECT name FROM teachtrack.teachers WHERE id = " + id))
                    .as("the replica really is behind").isEqualTo(name);

            Api.as(admin).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name + " Grace"));
            Api.as(teacher.token()).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name + " Grace"));
            Api.as(teacher.token()).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name + " Grace"));
            Api.as(teacher.token()).get("/api/v1/classes/" + classId + "/attendance-summary").then().statusCode(200)
                    .body("students[0].present", equalTo(1));

            // The report job reads (uncached) as its requester, who just wrote the attendance.
            long report = Api.as(teacher.token()).body(Map.of("classId", classId)).post("/api/v1/reports").then().statusCode(202)
                    .extract().jsonPath().getLong("id");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    Api.as(teacher.token()).get("/api/v1/reports/" + report).then().body("status", equalTo("DONE")));
            Api.as(teacher.token()).get("/api/v1/reports/" + report).then().body("result.students[0].attended", equalTo(1));
        } finally {
            servers.resumeApplying();
        }
    }

    /**
     * Redis down: nobody's last write is known. Reads stay on replicas, each on one that has applied the primary's
     * position taken after the read began, so a writer still reads their write, even when no replica has it.
     */
    @Test
    void withEveryonesLastWriteUnknownReadsStayOnReplicasThatHaveEveryCommittedWrite() {
        awaitReplicaUp();
        ReplicatedDatabases servers = Platform.databases();
        long primary = servers.primary().serverId();
        Set<Long> replicas = Set.of(servers.replicas().get(0).serverId(), servers.replicas().get(1).serverId());
        long user = 900_005L;
        String code = Api.unique("RYW");
        servers.awaitCaughtUp(Duration.ofSeconds(10));
        Platform.redis().pause();
        try {
            assertThat(readYourWrites.lastWrite(user)).isInstanceOf(ReadYourWrites.LastWrite.Unknown.class);
            for (int i = 0; i < 4; i++) {
                assertThat(readServerId(user)).as("nothing written: a replica, which has everything").isIn(replicas);
            }
            servers.pauseApplying();
            try {
                router.write(handle -> handle.createUpdate("INSERT INTO subjects (code, name) VALUES (:code, 'Logic')").bind("code", code).execute());
                assertThat(servers.replica().queryString("SELECT COUNT(*) FROM teachtrack.subjects WHERE code = '" + code + "'"))
                        .as("the replicas really are behind").isEqualTo("0");
                assertThat(countAndServer(user, code)).as("no replica has the write: the primary").isEqualTo("1@" + primary);
            } finally {
                servers.resumeApplying();
            }
            servers.awaitCaughtUp(Duration.ofSeconds(10));
            assertThat(countAndServer(user, code)).as("a replica that has the write").isIn(replicas.stream().map(id -> "1@" + id).toList());
        } finally {
            Platform.redis().resume();
        }
    }

    /** How many subjects have the code, and on which server: {@code count@server_id}. */
    private String countAndServer(long userId, String code) {
        return router.read(userId, Freshness.ANY, handle -> handle.createQuery(
                "SELECT CONCAT(COUNT(*), '@', @@server_id) FROM subjects WHERE code = :code").bind("code", code).mapTo(String.class).one());
    }

    private long readServerId(long userId) {
        return router.read(userId, Freshness.ANY, handle -> handle.createQuery(SERVER_ID).mapTo(Long.class).one());
    }

    private static void awaitReplicaUp() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().body("checks.find { it.name == 'database' }.data.replica", equalTo("up")));
    }
}
