package io.teachtrack.api.jobs;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.teachtrack.api.testing.AppProcess;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.api.testing.TestKeys;
import io.teachtrack.testkit.ReplicatedDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker pods as real processes of the packaged app, sharing one real MariaDB: a worker killed mid-job, a worker
 * frozen past its lease (a zombie that wakes up later) and a worker stopped gracefully. Each job is completed
 * exactly once, by the worker that holds the current claim.
 */
class WorkerFailoverIT {

    private static final Path DIR = Path.of("target", "worker-failover-it").toAbsolutePath();
    private static final Duration START = Duration.ofSeconds(60);
    private static ReplicatedDatabases servers;
    private final List<AppProcess> workers = new ArrayList<>();

    @BeforeAll
    static void databases() {
        servers = new ReplicatedDatabases(Platform.ENGINE, DIR.resolve(Platform.ENGINE.image()), 1).start();
    }

    @AfterAll
    static void stopDatabases() {
        servers.close();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(AppProcess::close);
    }

    private AppProcess worker(String name) {
        Map<String, String> env = AppProcess.podEnvironment("worker", servers.primary().jdbcUrl(ReplicatedDatabases.DATABASE), null, null);
        env.put("TEACHTRACK_WORKER_SIMULATED_WORK", "4s");
        env.put("TEACHTRACK_WORKER_LEASE", "2s");
        env.put("TEACHTRACK_WORKER_POLL_INTERVAL", "200ms");
        AppProcess worker = AppProcess.start(name, env, DIR);
        workers.add(worker);
        return worker.awaitHealth("/q/health/ready", 200, START);
    }

    /** Creates a class through the app's API and asks for its report; returns the job id. */
    private static long requestReport(AppProcess app) {
        String token = RestAssured.given().baseUri(app.baseUrl()).contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Platform.ADMIN_PASSWORD)).post("/api/v1/auth/token")
                .then().statusCode(200).extract().jsonPath().getString("token");
        String unique = Long.toString(System.nanoTime());
        long teacher = as(app, token).body(Map.of("name", "T" + unique, "email", unique + "@school.test")).post("/api/v1/teachers")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long subject = as(app, token).body(Map.of("code", "S" + unique.substring(unique.length() - 10), "name", "Physics")).post("/api/v1/subjects")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long classId = as(app, token).body(Map.of("subjectId", subject, "teacherId", teacher, "groupName", "g" + unique)).post("/api/v1/classes")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        return as(app, token).body(Map.of("classId", classId)).post("/api/v1/reports").then().statusCode(202).extract().jsonPath().getLong("id");
    }

    private static RequestSpecification as(AppProcess app, String token) {
        return RestAssured.given().baseUri(app.baseUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    private static String job(long id, String column) {
        return servers.primary().queryString("SELECT " + column + " FROM teachtrack.jobs WHERE id = " + id);
    }

    private static void awaitRunningOn(long job, AppProcess worker) {
        await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(job(job, "status"))
                && job(job, "claimed_by").startsWith(worker.name() + "-"));
    }

    @Test
    void aJobWhoseWorkerIsKilledIsFinishedByAnotherWorkerOnce() {
        AppProcess first = worker("worker-killed");
        long job = requestReport(first);
        awaitRunningOn(job, first);
        first.signal("KILL");

        AppProcess second = worker("worker-rescuer");
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(job(job, "status")));
        assertThat(job(job, "completed_by")).startsWith("worker-rescuer-");
        assertThat(job(job, "attempts")).isEqualTo("2");
        assertThat(job(job, "result")).contains("\"classId\"");
        assertThat(second.log()).contains("job " + job + " done (attempt 2)");
    }

    @Test
    void aFrozenWorkerThatWakesUpAfterLosingItsLeaseCannotFinishTheJobAgain() {
        AppProcess zombie = worker("worker-frozen");
        long job = requestReport(zombie);
        awaitRunningOn(job, zombie);
        zombie.signal("STOP");

        AppProcess healthy = worker("worker-healthy");
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(job(job, "status")));
        String result = job(job, "result");
        assertThat(job(job, "completed_by")).startsWith("worker-healthy-");

        zombie.signal("CONT");
        await().atMost(Duration.ofSeconds(30)).until(() -> zombie.log().contains("job " + job + " finished after its claim was lost"));
        assertThat(job(job, "completed_by")).as("the zombie's late result was refused").startsWith("worker-healthy-");
        assertThat(job(job, "result")).isEqualTo(result);
        assertThat(healthy.log()).contains("job " + job + " done (attempt 2)");
    }

    @Test
    void aWorkerStoppedGracefullyFinishesItsJobFirst() throws InterruptedException {
        AppProcess worker = worker("worker-graceful");
        long job = requestReport(worker);
        awaitRunningOn(job, worker);
        worker.signal("TERM");
        assertThat(worker.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(worker.exitValue()).as("a clean exit on SIGTERM (128 + 15)").isIn(0, 143);
        assertThat(worker.log()).contains("job " + job + " done (attempt 1)").contains("stopped in");
        assertThat(job(job, "status")).isEqualTo("DONE");
        assertThat(job(job, "attempts")).isEqualTo("1");
        assertThat(job(job, "completed_by")).startsWith("worker-graceful-");
    }

    @Test
    void logsCarryNoSecrets() {
        AppProcess worker = worker("worker-logs");
        requestReport(worker);
        String log = worker.log();
        String privateKeyBody = TestKeys.privatePem(TestKeys.PAIR).lines().skip(1).findFirst().orElseThrow();
        assertThat(log).contains("schema is at version")
                .doesNotContain(ReplicatedDatabases.APP_PASSWORD)
                .doesNotContain(Platform.ADMIN_PASSWORD)
                .doesNotContain(servers.primary().rootPassword())
                .doesNotContain(privateKeyBody);
    }
}
