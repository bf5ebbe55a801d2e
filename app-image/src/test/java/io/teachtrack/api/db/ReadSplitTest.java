package io.teachtrack.api.db;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.teachtrack.api.metrics.AppMetrics;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.ReplicatedDatabases;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads rotate over the replicas while they are healthy and close enough; a lagging or stopped replica is skipped on
 * its own (the other one keeps serving), and with none left the reads go to the primary, with no error. Proven by the
 * statements each real server ran.
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
        // A user who never wrote: nothing of theirs for a replica to miss.
        reader = Api.teacher(Api.adminToken()).token();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(servedByEach(4)).containsOnly("replica-0", "replica-1"));
    }

    /** Which server ran one uncached read: "primary", "replica-0", "replica-1", or "none"/"several" (never expected). */
    private String servedBy() {
        ReplicatedDatabases servers = Platform.databases();
        servers.recordStatements();
        long id = UNSEEN.incrementAndGet();
        Api.as(reader).get("/api/v1/subjects/" + id).then().statusCode(404);
        String suffix = "FROM subjects WHERE id = " + id;
        List<String> ran = new ArrayList<>();
        if (servers.primary().selectsEndingWith(ReplicatedDatabases.APP_USER, suffix) > 0) {
            ran.add("primary");
        }
        for (int i = 0; i < servers.replicas().size(); i++) {
            DatabaseServer replica = servers.replicas().get(i);
            if (replica.isAlive() && replica.selectsEndingWith(ReplicatedDatabases.APP_USER, suffix) > 0) {
                ran.add("replica-" + i);
            }
        }
        return ran.size() == 1 ? ran.getFirst() : ran.isEmpty() ? "none" : "several";
    }

    private Set<String> servedByEach(int reads) {
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < reads; i++) {
            servers.add(servedBy());
        }
        return servers;
    }

    @Test
    void readsRotateOverTheReplicas() {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(servedBy());
        }
        assertThat(served).containsOnly("replica-0", "replica-1").contains("replica-0", "replica-1");
    }

    @Test
    void aLaggingReplicaIsSkippedOnItsOwnAndTheLastOneSendsReadsToThePrimary() {
        ReplicatedDatabases servers = Platform.databases();
        DatabaseServer lagging = servers.replicas().get(0);
        servers.pauseApplying(lagging);
        try {
            // The heartbeat keeps moving on the primary; the paused replica's copy stands still and ages past 2 s.
            await().atMost(Duration.ofSeconds(15)).until(() -> servedByEach(4).equals(Set.of("replica-1")));
            assertThat(servedByEach(6)).as("the other replica serves alone").containsOnly("replica-1");

            double lagRoutes = metrics.count("teachtrack.db.routes", "reason", "replica-lag");
            servers.pauseApplying(servers.replicas().get(1));
            await().atMost(Duration.ofSeconds(15)).until(() -> servedByEach(4).equals(Set.of("primary")));
            assertThat(metrics.count("teachtrack.db.routes", "reason", "replica-lag")).isGreaterThan(lagRoutes);
        } finally {
            servers.resumeApplying();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> servedByEach(4).equals(Set.of("replica-0", "replica-1")));
    }

    @Test
    void aStoppedReplicaCostsNoErrors() {
        ReplicatedDatabases servers = Platform.databases();
        servers.replica().kill();
        try {
            for (int i = 0; i < 20; i++) { // servedBy() asserts the answer of each
                assertThat(servedBy()).isIn("replica-1", "primary");
            }
            assertThat(servedByEach(6)).as("the live replica serves once the dead one is known").containsOnly("replica-1");
            RestAssured.get("/q/health/ready").then().statusCode(200);
        } finally {
            servers.restartReplica();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> servedByEach(4).equals(Set.of("replica-0", "replica-1")));
    }
}
