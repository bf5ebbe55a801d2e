package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.replication.ReplicationAction.BootstrapApp;
import io.teachtrack.operator.replication.ReplicationAction.ClearOwnTransactions;
import io.teachtrack.operator.replication.ReplicationAction.DisableSemiSync;
import io.teachtrack.operator.replication.ReplicationAction.EnableSemiSync;
import io.teachtrack.operator.replication.ReplicationAction.Fence;
import io.teachtrack.operator.replication.ReplicationAction.MakeWritable;
import io.teachtrack.operator.replication.ReplicationAction.Promote;
import io.teachtrack.operator.replication.ReplicationAction.ReplicateFromPrimary;
import io.teachtrack.operator.replication.ReplicationAction.StartReplication;
import io.teachtrack.operator.replication.ReplicationAction.StopReceiving;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationDecisionTest {

    private static final String PRIMARY = "school-mysql-0";
    private static final String ADDRESS = "school-mysql-0.school-mysql.edu.svc";
    private static final SemiSync WAITS_FOR_ONE = new SemiSync(true, 1, true, 1);

    private static ReplicaState running(long lag) {
        return new ReplicaState(true, ADDRESS, 3306, true, false, true, lag, 0, "", 0, "", "");
    }

    private static ReplicaState stopped(int ioErrno, int sqlErrno) {
        return new ReplicaState(true, ADDRESS, 3306, false, false, false, null, ioErrno, ioErrno == 0 ? "" : "io", sqlErrno,
                sqlErrno == 0 ? "" : "sql", "");
    }

    private static final ReplicaState CATCHING_UP = new ReplicaState(true, ADDRESS, 3306, false, true, true, null, 2003, "connecting", 0, "", "");

    private static ServerState primary(boolean readOnly, boolean blank, boolean appReady, String label) {
        return new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, readOnly, blank, appReady, ReplicaState.NOT_CONFIGURED, "", "", label,
                readOnly ? SemiSync.OFF : WAITS_FOR_ONE, Set.of());
    }

    private static ServerState healthyPrimary() {
        return primary(false, false, true, "primary");
    }

    private static ServerState replica(int ordinal, ReplicaState replication, String ahead, String label) {
        return new ServerState("school-mysql-" + ordinal, ordinal, "school-mysql-" + ordinal + ".school-mysql.edu.svc", 3306, true, null,
                true, false, false, replication, ahead, "", label, SemiSync.OFF, Set.of());
    }

    private static ReplicationPlan decide(ServerState... servers) {
        return ReplicationDecision.decide(new ClusterState(0, List.of(servers), servers.length - 1, 2, SemiSync.required(servers.length - 1),
                ClusterState.Failover.DISABLED));
    }

    /** A label change that removes the label (Map.entry takes no null). */
    private static Map.Entry<String, String> removed(String pod) {
        return new AbstractMap.SimpleImmutableEntry<>(pod, null);
    }

    private static Map<String, String> labels(ReplicationPlan plan) {
        return new HashMap<>(plan.labels());
    }

    @ParameterizedTest
    @EnumSource(MysqlEngine.class)
    void aFreshClusterGetsAWritablePrimaryAndReplicasPointedAtIt(MysqlEngine engine) {
        // MariaDB's installer leaves GTIDs of the server's own on a fresh data directory; MySQL's leaves none.
        String own = engine == MysqlEngine.MariaDB ? "0-2-3" : "";
        ServerState fresh = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, true, true, false,
                ReplicaState.NOT_CONFIGURED, own, "", null, SemiSync.OFF, Set.of());
        ReplicationPlan plan = decide(primary(true, true, false, null), fresh);

        List<ReplicationAction> expected = engine == MysqlEngine.MariaDB
                ? List.of(new MakeWritable(PRIMARY), new BootstrapApp(PRIMARY), new EnableSemiSync(PRIMARY, 1),
                        new ClearOwnTransactions("school-mysql-1"), new ReplicateFromPrimary("school-mysql-1", ADDRESS, 3306, false))
                : List.of(new MakeWritable(PRIMARY), new BootstrapApp(PRIMARY), new EnableSemiSync(PRIMARY, 1),
                        new ReplicateFromPrimary("school-mysql-1", ADDRESS, 3306, false));
        assertThat(plan.actions()).containsExactlyElementsOf(expected);
        assertThat(plan.labels()).containsExactly(Map.entry(PRIMARY, "primary"));
        assertThat(plan.reason()).isEqualTo("ReplicaConnecting");
        assertThat(plan.appDatabaseReady()).isTrue();
        assertThat(plan.primaryPod()).isEqualTo(PRIMARY);
    }

    @Test
    void aHealthyClusterGetsAnEmptyPlan() {
        ReplicationPlan plan = decide(healthyPrimary(), replica(1, running(0), "", "replica"), replica(2, running(1), "", "replica"));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.labels()).isEmpty();
        assertThat(plan.status()).isEqualTo("True");
        assertThat(plan.reason()).isEqualTo("ReplicationRunning");
        assertThat(plan.replicas()).extracting(ReplicaStatus::getState).containsOnly("Running");
        assertThat(plan.replicas()).extracting(ReplicaStatus::getRole).containsOnly("replica");
    }

    @Test
    void aStoppedReplicaLeavesTheReadServiceAndIsRestarted() {
        ReplicationPlan plan = decide(healthyPrimary(), replica(1, stopped(0, 0), "", "replica"), replica(2, running(0), "", "replica"));
        assertThat(plan.actions()).containsExactly(new StartReplication("school-mysql-1"));
        assertThat(labels(plan)).containsExactly(removed("school-mysql-1"));
        assertThat(plan.reason()).isEqualTo("ReplicaStopped");
        assertThat(plan.replicas()).extracting(ReplicaStatus::getRole).containsExactly(null, "replica");
    }

    @Test
    void aReplicaWhoseSqlThreadFailedIsReportedNeverRestartedBlindly() {
        ReplicationPlan plan = decide(healthyPrimary(), replica(1, stopped(0, 1062), "", "replica"));
        assertThat(plan.actions()).isEmpty();
        assertThat(labels(plan)).containsExactly(removed("school-mysql-1"));
        assertThat(plan.reason()).isEqualTo("ReplicaError");
    }

    @Test
    void lagMovesTheLabelWithHysteresis() {
        // Budget 2 s: a serving replica leaves above 2 s; a replica out of the Service returns at 1 s or less.
        assertThat(labels(decide(healthyPrimary(), replica(1, running(3), "", "replica")))).containsExactly(removed("school-mysql-1"));
        assertThat(decide(healthyPrimary(), replica(1, running(2), "", "replica")).labels()).as("at the budget: stays").isEmpty();
        assertThat(decide(healthyPrimary(), replica(1, running(2), "", null)).labels()).as("not back yet").isEmpty();
        assertThat(decide(healthyPrimary(), replica(1, running(1), "", null)).labels()).containsExactly(Map.entry("school-mysql-1", "replica"));
        assertThat(decide(healthyPrimary(), replica(1, running(3), "", null)).reason()).isEqualTo("ReplicationLagging");
    }

    @Test
    void replicationReadyFollowsTheSameHysteresisSoALagHoveringAtTheLimitDoesNotFlipIt() {
        // Budget 2 s. Lag 2, 3, 2, 3, ... around the limit: once over it, ReplicationReady stays False until 1 s.
        assertThat(decide(healthyPrimary(), replica(1, running(2), "", "replica")).status()).as("at the budget, serving").isEqualTo("True");
        ReplicationPlan over = decide(healthyPrimary(), replica(1, running(3), "", "replica"));
        assertThat(over.reason()).isEqualTo("ReplicationLagging");
        assertThat(labels(over)).as("the label goes").containsExactly(removed("school-mysql-1"));
        ReplicationPlan hovering = decide(healthyPrimary(), replica(1, running(2), "", null));
        assertThat(hovering.status()).as("back at the budget, not yet within half of it").isEqualTo("False");
        assertThat(hovering.reason()).isEqualTo("ReplicationLagging");
        assertThat(hovering.message()).contains("school-mysql-1 is 2 s behind (limit 2 s; it counts again once within 1 s)");
        assertThat(decide(healthyPrimary(), replica(1, running(1), "", null)).status()).isEqualTo("True");
    }

    @Test
    void aReplicaWithErrantTransactionsIsLeftUntouchedAndServesNoReads() {
        ReplicationPlan plan = decide(healthyPrimary(), replica(1, running(0), "3e11fa47-71ca-11e1-9e33-c80aa9429562:7", "replica"));
        assertThat(plan.actions()).isEmpty();
        assertThat(labels(plan)).containsExactly(removed("school-mysql-1"));
        assertThat(plan.reason()).isEqualTo("ErrantTransactions");
        assertThat(plan.message()).contains("3e11fa47-71ca-11e1-9e33-c80aa9429562:7");
    }

    @Test
    void aCatchingUpReplicaServesNoReadsUntilItRuns() {
        ReplicationPlan plan = decide(healthyPrimary(), replica(1, CATCHING_UP, "", null));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.labels()).isEmpty();
        assertThat(plan.reason()).isEqualTo("ReplicaConnecting");
    }

    @Test
    void anEmptyPrimaryNeverOverwritesReplicasThatHoldData() {
        ServerState emptyPrimary = primary(true, true, false, "primary");
        ServerState holdsData = replica(1, CATCHING_UP, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-500", "replica");
        ReplicationPlan plan = decide(emptyPrimary, holdsData);
        assertThat(plan.actions()).as("no MakeWritable, no re-pointing").isEmpty();
        assertThat(plan.reason()).isEqualTo("PrimaryBehindReplicas");
        assertThat(plan.message()).contains("school-mysql-1");
        assertThat(plan.appDatabaseReady()).isFalse();
        assertThat(labels(plan)).as("writes stop; the replica keeps serving the data it holds")
                .containsExactly(removed(PRIMARY));
    }

    @Test
    void anEmptyPrimaryWaitsForReplicasItCannotCompare() {
        ServerState away = ServerState.unreachable("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, "connect timed out", null);
        ReplicationPlan plan = decide(primary(true, true, false, null), away);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("WaitingForReplicas");
    }

    @Test
    void aRestartedPrimaryThatHoldsEverythingIsMadeWritableAgain() {
        ReplicationPlan plan = decide(primary(true, false, true, "primary"), replica(1, CATCHING_UP, "", null));
        assertThat(plan.actions()).as("acknowledgements are awaited before the first write")
                .containsExactly(new EnableSemiSync(PRIMARY, 1), new MakeWritable(PRIMARY));
    }

    @Test
    void anUnreachablePrimaryChangesNothingAndReplicasKeepServingReads() {
        ServerState gone = ServerState.unreachable(PRIMARY, 0, ADDRESS, 3306, "Communications link failure", "primary");
        ReplicationPlan plan = decide(gone, replica(1, CATCHING_UP, "", "replica"), replica(2, stopped(0, 0), "", "replica"));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("PrimaryUnreachable");
        assertThat(plan.message()).contains("Communications link failure");
        assertThat(labels(plan)).as("the applier of -1 still runs; -2 stopped applying")
                .containsOnly(removed(PRIMARY), removed("school-mysql-2"));
    }

    @Test
    void aReplicaOfAnotherSourceIsRepointedAndAWritableReplicaMadeReadOnly() {
        ReplicaState elsewhere = new ReplicaState(true, "10.0.0.9", 3306, true, false, true, 0L, 0, "", 0, "", "");
        ServerState writable = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, false, false,
                false, elsewhere, "", "", "replica", SemiSync.OFF, Set.of());
        ReplicationPlan plan = decide(healthyPrimary(), writable);
        assertThat(plan.actions()).as("fenced first; re-pointed once compared again")
                .containsExactly(new Fence("school-mysql-1"));
        ServerState fenced = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, true, false,
                false, elsewhere, "", "", "replica", SemiSync.OFF, Set.of());
        assertThat(decide(healthyPrimary(), fenced).actions()).containsExactly(new ReplicateFromPrimary("school-mysql-1", ADDRESS, 3306, true));
        assertThat(labels(plan)).containsExactly(removed("school-mysql-1"));
    }

    @Test
    void aNewReplicaThatNeedsPurgedLogsIsReportedNotStarted() {
        ServerState behind = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, true, true, false,
                ReplicaState.NOT_CONFIGURED, "", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20", null, SemiSync.OFF, Set.of());
        ReplicationPlan plan = decide(healthyPrimary(), behind);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("NeedsSeeding");
    }

    @Test
    void anUnreachableReplicaIsReportedAndServesNoReads() {
        ServerState away = ServerState.unreachable("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, "connect timed out",
                "replica");
        ReplicationPlan plan = decide(healthyPrimary(), away);
        assertThat(plan.reason()).isEqualTo("ReplicaUnreachable");
        assertThat(plan.message()).contains("school-mysql-1", "connect timed out");
        assertThat(labels(plan)).containsExactly(removed("school-mysql-1"));
    }

    @Test
    void noReplicasIsReady() {
        ReplicationPlan plan = decide(healthyPrimary());
        assertThat(plan.status()).isEqualTo("True");
        assertThat(plan.reason()).isEqualTo("NoReplicas");
    }

    @Test
    void scalingDownNeverRemovesThePrimary() {
        ServerState primaryAtTwo = new ServerState("school-mysql-2", 2, "school-mysql-2.school-mysql.edu.svc", 3306, true, null, false, false,
                true, ReplicaState.NOT_CONFIGURED, "", "", "primary", WAITS_FOR_ONE, Set.of());
        ReplicationPlan plan = ReplicationDecision.decide(new ClusterState(2, List.of(primaryAtTwo), 1, 2, 1, ClusterState.Failover.DISABLED));
        assertThat(plan.reason()).isEqualTo("ScaleDownBlocked");
        assertThat(plan.message()).contains("school-mysql-2");
    }

    @Test
    void semiSyncWaitsForHalfTheReplicasAndIsOffWithoutReplicas() {
        assertThat(SemiSync.required(0)).isZero();
        assertThat(SemiSync.required(1)).isEqualTo(1);
        assertThat(SemiSync.required(2)).isEqualTo(1);
        assertThat(SemiSync.required(5)).isEqualTo(2);
        assertThat(SemiSync.required(9)).isEqualTo(4);

        ServerState waitsForOne = primary(false, false, true, "primary");
        ReplicationPlan three = ReplicationDecision.decide(new ClusterState(0, List.of(waitsForOne, replica(1, running(0), "", "replica"),
                replica(2, running(0), "", "replica"), replica(3, running(0), "", "replica"), replica(4, running(0), "", "replica")), 4, 2,
                SemiSync.required(4), ClusterState.Failover.DISABLED));
        assertThat(three.actions()).containsExactly(new EnableSemiSync(PRIMARY, 2));
        assertThat(decide(waitsForOne).actions()).as("no replica wanted: nothing to wait for").containsExactly(new DisableSemiSync(PRIMARY));
    }

    @Test
    void aPrimaryThatFellBackToAsynchronousReplicationIsReported() {
        ServerState fellBack = new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, false, false, true, ReplicaState.NOT_CONFIGURED, "", "",
                "primary", new SemiSync(true, 1, false, 0), Set.of());
        ReplicationPlan plan = decide(fellBack, replica(1, running(0), "", "replica"));
        assertThat(plan.status()).isEqualTo("False");
        assertThat(plan.reason()).isEqualTo("SemiSyncInactive");
    }

    // --- failover ---

    private static final Duration AFTER = Duration.ofSeconds(10);

    private static ServerState lostPrimary() {
        return ServerState.unreachable(PRIMARY, 0, ADDRESS, 3306, "Communications link failure", "primary");
    }

    /** A replica whose receiving thread lost the primary, holding the GTIDs of the named others. */
    private static ServerState orphan(int ordinal, String received, Set<String> covers) {
        ReplicaState lostSource = new ReplicaState(true, ADDRESS, 3306, false, true, true, null, 2013, "lost connection", 0, "", received);
        return new ServerState("school-mysql-" + ordinal, ordinal, "school-mysql-" + ordinal + ".school-mysql.edu.svc", 3306, true, null,
                true, false, false, lostSource, "", "", "replica", SemiSync.OFF, covers);
    }

    private static ReplicationPlan failover(Duration lostFor, ServerState... servers) {
        return ReplicationDecision.decide(new ClusterState(0, List.of(servers), servers.length - 1, 2, SemiSync.required(servers.length - 1),
                new ClusterState.Failover(true, AFTER, lostFor, null, Set.of())));
    }

    @Test
    void aLostPrimaryIsNotReplacedBeforeTheConfiguredTime() {
        ReplicationPlan plan = failover(Duration.ofSeconds(9), lostPrimary(), orphan(1, "u:1-10", Set.of("school-mysql-2")),
                orphan(2, "u:1-9", Set.of()));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("PrimaryUnreachable");
        assertThat(plan.message()).contains("promoted if it stays unreachable for 10 s");
        assertThat(plan.watchClosely()).isTrue();
        assertThat(plan.promotion()).isNull();
    }

    @Test
    void theMostAdvancedReplicaIsPromotedAfterEveryReplicaStoppedReceiving() {
        ReplicationPlan plan = failover(AFTER, lostPrimary(), orphan(1, "u:1-9", Set.of()), orphan(2, "u:1-10", Set.of("school-mysql-1")));
        assertThat(plan.actions()).containsExactly(new StopReceiving("school-mysql-1"), new StopReceiving("school-mysql-2"),
                new Promote("school-mysql-2", "u:1-10"));
        assertThat(plan.primaryPod()).as("recorded as primary; made writable only in a later pass").isEqualTo("school-mysql-2");
        assertThat(plan.actions()).noneMatch(a -> a instanceof MakeWritable);
        assertThat(plan.promotion()).isEqualTo(new ReplicationPlan.Promotion(PRIMARY, "school-mysql-2", plan.promotion().reason()));
        assertThat(plan.promotion().reason()).contains("unreachable for 10 s");
        assertThat(plan.reason()).isEqualTo("FailingOver");
        assertThat(labels(plan)).containsEntry(PRIMARY, null);
        assertThat(plan.appDatabaseReady()).isFalse();
    }

    @Test
    void aPrimaryThatRefusesTheRootPasswordIsAliveAndNeverReplaced() {
        ServerState refusing = ServerState.unreachable(PRIMARY, 0, ADDRESS, 3306,
                "Access denied for user 'root'@'10.244.0.9' (using password: YES)", "primary");
        ReplicationPlan plan = failover(AFTER.multipliedBy(10), refusing, orphan(1, "u:1-10", Set.of("school-mysql-2")),
                orphan(2, "u:1-9", Set.of()));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.promotion()).isNull();
        assertThat(plan.reason()).isEqualTo("CredentialsRejected");
        assertThat(plan.message()).contains("put back a value the servers have").contains(PRIMARY);
        assertThat(lostPrimary().refusedCredentials()).as("a lost primary is lost").isFalse();
    }

    @Test
    void equallyAdvancedReplicasPromoteTheLowestOrdinal() {
        ReplicationPlan plan = failover(AFTER, lostPrimary(), orphan(1, "u:1-10", Set.of("school-mysql-2")),
                orphan(2, "u:1-10", Set.of("school-mysql-1")));
        assertThat(plan.promotion().to()).isEqualTo("school-mysql-1");
    }

    @Test
    void nothingIsPromotedWhileAReplicaStillReceivesFromThePrimary() {
        ReplicationPlan plan = failover(AFTER, lostPrimary(), orphan(1, "u:1-10", Set.of("school-mysql-2")),
                replica(2, running(0), "", "replica"));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("PrimaryUnconfirmed");
        assertThat(plan.message()).contains("school-mysql-2 still receive");
    }

    @Test
    void nothingIsPromotedWhenAnAcknowledgedCommitMayBeOnlyOnAnUnreachableReplica() {
        ServerState away = ServerState.unreachable("school-mysql-2", 2, "school-mysql-2.school-mysql.edu.svc", 3306, "timeout", "replica");
        ReplicationPlan plan = failover(Duration.ofMinutes(5), lostPrimary(), orphan(1, "u:1-10", Set.of()), away);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("FailoverBlocked");
        assertThat(plan.message()).contains("only 1 of 2 replicas", "school-mysql-2");
        assertThat(plan.primaryPod()).isEqualTo(PRIMARY);
    }

    @Test
    void nothingIsPromotedWhenNoReplicaHoldsEveryOthersTransactions() {
        ReplicationPlan plan = failover(AFTER, lostPrimary(), orphan(1, "u:1-10,v:1", Set.of()), orphan(2, "u:1-11", Set.of()));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.reason()).isEqualTo("FailoverBlocked");
    }

    @Test
    void automaticFailoverCanBeTurnedOff() {
        ReplicationPlan plan = ReplicationDecision.decide(new ClusterState(0, List.of(lostPrimary(), orphan(1, "u:1-10", Set.of())), 1, 2, 1,
                new ClusterState.Failover(false, AFTER, Duration.ofHours(1), null, Set.of())));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.message()).contains("automatic failover is off");
    }

    @Test
    void afterTheFailoverTheNewPrimaryTakesWritesAndAFormerPrimaryWithUnacknowledgedCommitsIsExcluded() {
        ServerState promoted = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, true, false, true,
                ReplicaState.NOT_CONFIGURED, "", "", "replica", SemiSync.OFF, Set.of());
        // Frozen, then resumed: still writable, still waiting for acknowledgements of a commit nobody else has.
        ServerState former = new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, false, false, false, ReplicaState.NOT_CONFIGURED,
                "u:11", "", null, WAITS_FOR_ONE, Set.of());
        ServerState other = new ServerState("school-mysql-2", 2, "school-mysql-2.school-mysql.edu.svc", 3306, true, null, true, false, false,
                new ReplicaState(true, ADDRESS, 3306, false, false, true, 0L, 0, "", 0, "", "u:1-10"), "", "", "replica", SemiSync.OFF, Set.of());
        ReplicationPlan plan = ReplicationDecision.decide(new ClusterState(1, List.of(former, promoted, other), 2, 2, 1,
                new ClusterState.Failover(true, AFTER, Duration.ZERO, PRIMARY, Set.of())));

        String newPrimary = "school-mysql-1.school-mysql.edu.svc";
        assertThat(plan.actions()).containsExactly(new EnableSemiSync("school-mysql-1", 1), new MakeWritable("school-mysql-1"),
                new Fence(PRIMARY), new ReplicateFromPrimary("school-mysql-2", newPrimary, 3306, true));
        assertThat(plan.replicas()).filteredOn(r -> r.getName().equals(PRIMARY)).singleElement().satisfies(r -> {
            assertThat(r.getState()).isEqualTo(ReplicaStates.ERRANT_TRANSACTIONS);
            assertThat(r.getLastError()).contains("former primary", "u:11", "never acknowledged");
        });
        assertThat(labels(plan)).containsEntry("school-mysql-1", "primary").doesNotContainKey(PRIMARY);
    }

    @Test
    void aFormerPrimaryHoldingNothingExtraRejoinsAsAReplica() {
        ServerState newPrimary = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, false, false, true,
                ReplicaState.NOT_CONFIGURED, "", "", "primary", WAITS_FOR_ONE, Set.of());
        ServerState former = new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, false, false, false, ReplicaState.NOT_CONFIGURED,
                "", "", null, WAITS_FOR_ONE, Set.of());
        ReplicationPlan plan = ReplicationDecision.decide(new ClusterState(1, List.of(former, newPrimary), 1, 2, 1,
                new ClusterState.Failover(true, AFTER, Duration.ZERO, PRIMARY, Set.of())));
        assertThat(plan.actions()).containsExactly(new Fence(PRIMARY));
        ServerState fenced = new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, true, false, false, ReplicaState.NOT_CONFIGURED,
                "", "", null, WAITS_FOR_ONE, Set.of());
        ReplicationPlan next = ReplicationDecision.decide(new ClusterState(1, List.of(fenced, newPrimary), 1, 2, 1,
                new ClusterState.Failover(true, AFTER, Duration.ZERO, PRIMARY, Set.of())));
        assertThat(next.actions()).containsExactly(new DisableSemiSync(PRIMARY),
                new ReplicateFromPrimary(PRIMARY, "school-mysql-1.school-mysql.edu.svc", 3306, false));
    }

    /**
     * Two failovers in a row: school-mysql-0, replaced by the first and excluded for its unacknowledged commit, must
     * neither be counted by the second (while school-mysql-1 is lost) nor hold back the replica it promotes.
     */
    @Test
    void aServerExcludedByAnEarlierFailoverStaysExcludedAndHoldsNoLaterPrimaryBack() {
        ServerState excluded = new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, true, false, false, ReplicaState.NOT_CONFIGURED,
                "", "", null, SemiSync.OFF, Set.of("school-mysql-2"));
        ServerState lost = ServerState.unreachable("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, "timeout", "primary");
        ServerState orphan = orphan(2, "u:1-20", Set.of());
        ClusterState.Failover afterTheFirst = new ClusterState.Failover(true, AFTER, Duration.ZERO, PRIMARY, Set.of(PRIMARY));

        ReplicationPlan waiting = ReplicationDecision.decide(new ClusterState(1, List.of(excluded, lost, orphan), 2, 2, 1, afterTheFirst));
        assertThat(waiting.replicas()).filteredOn(r -> r.getName().equals(PRIMARY)).singleElement()
                .satisfies(r -> assertThat(r.getState()).as("the exclusion outlives passes without a primary")
                        .isEqualTo(ReplicaStates.ERRANT_TRANSACTIONS));

        ReplicationPlan second = ReplicationDecision.decide(new ClusterState(1, List.of(excluded, lost, orphan), 2, 2, 1,
                new ClusterState.Failover(true, AFTER, AFTER, PRIMARY, Set.of(PRIMARY))));
        assertThat(second.promotion().to()).isEqualTo("school-mysql-2");

        ServerState promoted = new ServerState("school-mysql-2", 2, "school-mysql-2.school-mysql.edu.svc", 3306, true, null, true, false, true,
                ReplicaState.NOT_CONFIGURED, "", "", null, SemiSync.OFF, Set.of());
        ServerState stillExcluded = new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, true, false, false, ReplicaState.NOT_CONFIGURED,
                "u:11", "", null, SemiSync.OFF, Set.of());
        ReplicationPlan writable = ReplicationDecision.decide(new ClusterState(2, List.of(stillExcluded, lost, promoted), 2, 2, 1,
                new ClusterState.Failover(true, AFTER, Duration.ZERO, "school-mysql-1", Set.of(PRIMARY))));
        assertThat(writable.actions()).contains(new MakeWritable("school-mysql-2"));
        assertThat(writable.replicas()).filteredOn(r -> r.getName().equals(PRIMARY)).singleElement().satisfies(r -> {
            assertThat(r.getState()).isEqualTo(ReplicaStates.ERRANT_TRANSACTIONS);
            assertThat(r.getLastError()).contains("u:11");
        });
        assertThat(writable.actions()).as("never re-pointed, never overwritten").extracting(ReplicationAction::pod).doesNotContain(PRIMARY);
    }

    // --- switchover ---

    private static ReplicationPlan switchoverTo(String target, ServerState... servers) {
        return ReplicationDecision.decide(new ClusterState(0, List.of(servers), servers.length - 1, 2, SemiSync.required(servers.length - 1),
                ClusterState.Failover.DISABLED, target));
    }

    @Test
    void aSwitchoverToARunningReplicaIsTheOnlyActionOfItsPass() {
        ReplicationPlan plan = switchoverTo("school-mysql-2", healthyPrimary(), replica(1, running(0), "", "replica"),
                replica(2, running(0), "", "replica"));
        assertThat(plan.actions()).containsExactly(new ReplicationAction.Switchover(PRIMARY, "school-mysql-2"));
        assertThat(plan.labels()).as("labels move in the next pass").isEmpty();
        assertThat(plan.switchover().result()).isEqualTo(ReplicationPlan.Switchover.ATTEMPTED);
        assertThat(plan.primaryPod()).isEqualTo("school-mysql-2");
        assertThat(plan.watchClosely()).isTrue();
    }

    @Test
    void aSwitchoverToAnythingButARunningReplicaIsRejectedAndThePassGoesOn() {
        ServerState stoppedReplica = replica(1, stopped(0, 0), "", "replica");
        ReplicationPlan toStopped = switchoverTo("school-mysql-1", healthyPrimary(), stoppedReplica);
        assertThat(toStopped.switchover().result()).isEqualTo(ReplicationPlan.Switchover.REJECTED);
        assertThat(toStopped.switchover().message()).contains("school-mysql-1 is Stopped");
        assertThat(toStopped.actions()).as("the usual repairs still run").containsExactly(new StartReplication("school-mysql-1"));
        assertThat(toStopped.primaryPod()).isEqualTo(PRIMARY);

        assertThat(switchoverTo(PRIMARY, healthyPrimary(), replica(1, running(0), "", "replica")).switchover().message())
                .contains("is the primary already");
        assertThat(switchoverTo("school-mysql-7", healthyPrimary(), replica(1, running(0), "", "replica")).switchover().message())
                .contains("not a MySQL pod of this TeachTrack");
    }

    @Test
    void aSwitchoverToAReplicaFarBehindIsRejectedBeforeThePrimaryRefusesAWrite() {
        ReplicationPlan toLagging = switchoverTo("school-mysql-1", healthyPrimary(), replica(1, running(30), "", null));
        assertThat(toLagging.switchover().result()).isEqualTo(ReplicationPlan.Switchover.REJECTED);
        assertThat(toLagging.switchover().message()).contains("school-mysql-1 is 30 s behind the primary");
        assertThat(toLagging.actions()).noneMatch(action -> action instanceof ReplicationAction.Switchover);
        assertThat(toLagging.primaryPod()).isEqualTo(PRIMARY);

        ReplicationPlan toNearlyCaughtUp = switchoverTo("school-mysql-1", healthyPrimary(),
                replica(1, running(ReplicationDecision.SWITCHOVER_MAX_LAG_SECONDS), "", "replica"));
        assertThat(toNearlyCaughtUp.switchover().result()).isEqualTo(ReplicationPlan.Switchover.ATTEMPTED);
    }
}
