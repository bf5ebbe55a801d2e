package io.teachtrack.api.db;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.teachtrack.api.metrics.AppMetrics;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.ReplicatedDatabases;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Reads go to the replica while it is healthy and close enough; a lagging or stopped replica sends them to the primary
 * with no error. Proven by the statements each real server ran.
 */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class ReadSplitTest {

    /**
     * Each read asks for a subject id nobody asked for before: a cache miss whose scope no write has touched (a
     * recent write would hold it to the primary), so the route is the router's choice alone.
     */
    private static final AtomicLong UNSEEN = new AtomicLong(7_000_000);

    @Inject
    AppMetrics metrics;

    private String reader;

    @BeforeEach
    void freshReader() {
        // A user who never wrote: nothing of theirs for the replica to miss.
        reader = Api.teacher(Api.adminToken()).token();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().body("checks[0].data.replica", equalTo("up")));
    }

    /** Where one uncached read ran: "primary", "replica" or "both"/"none" (never expected). */
    private String servedBy() {
        ReplicatedDatabases servers = Platform.databases();
        servers.primary().recordStatements();
        if (servers.replica().isAlive()) {
            servers.replica().recordStatements();
        }
        long id = UNSEEN.incrementAndGet();
        Api.as(reader).get("/api/v1/subjects/" + id).then().statusCode(404);
        String suffix = "FROM subjects WHERE id = " + id;
        boolean onPrimary = servers.primary().selectsEndingWith(ReplicatedDatabases.APP_USER, suffix) == 1;
        boolean onReplica = servers.replica().isAlive() && servers.replica().selectsEndingWith(ReplicatedDatabases.APP_USER, suffix) == 1;
        return onPrimary && onReplica ? "both" : onPrimary ? "primary" : onReplica ? "replica" : "none";
    }

    @Test
    void readsAreServedByTheReplica() {
        for (int i = 0; i < 5; i++) {
            assertThat(servedBy()).isEqualTo("replica");
        }
    }

    @Test
    void aLaggingReplicaIsSkippedUntilItCatchesUp() {
        ReplicatedDatabases servers = Platform.databases();
        double before = metrics.count("teachtrack.db.routes", "reason", "replica-lag");
        servers.pauseApplying();
        try {
            // The heartbeat keeps moving on the primary; the replica's copy stands still and ages past 2 s.
            await().atMost(Duration.ofSeconds(15)).until(() -> servedBy().equals("primary"));
            assertThat(metrics.count("teachtrack.db.routes", "reason", "replica-lag")).isGreaterThan(before);
        } finally {
            servers.resumeApplying();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> servedBy().equals("replica"));
    }

    @Test
    void aStoppedReplicaCostsNoErrors() {
        ReplicatedDatabases servers = Platform.databases();
        servers.replica().kill();
        try {
            for (int i = 0; i < 20; i++) { // servedBy() asserts 200 for each
                assertThat(servedBy()).isEqualTo("primary");
            }
            RestAssured.get("/q/health/ready").then().statusCode(200);
            assertThat(metrics.count("teachtrack.db.routes", "reason", "replica-down")
                    + metrics.count("teachtrack.db.routes", "reason", "replica-error")).isPositive();
        } finally {
            servers.restartReplica();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> servedBy().equals("replica"));
    }
}
