package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.replication.ReplicationAction.BootstrapApp;
import io.teachtrack.operator.replication.ReplicationAction.ClearOwnTransactions;
import io.teachtrack.operator.replication.ReplicationAction.MakeReadOnly;
import io.teachtrack.operator.replication.ReplicationAction.MakeWritable;
import io.teachtrack.operator.replication.ReplicationAction.ReplicateFromPrimary;
import io.teachtrack.operator.replication.ReplicationAction.StartReplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationDecisionTest {

    private static final String PRIMARY = "school-mysql-0";
    private static final String ADDRESS = "school-mysql-0.school-mysql.edu.svc";

    private static ReplicaState running(long lag) {
        return new ReplicaState(true, ADDRESS, 3306, true, false, true, lag, 0, "", 0, "");
    }

    private static ReplicaState stopped(int ioErrno, int sqlErrno) {
        return new ReplicaState(true, ADDRESS, 3306, false, false, false, null, ioErrno, ioErrno == 0 ? "" : "io", sqlErrno,
                sqlErrno == 0 ? "" : "sql");
    }

    private static final ReplicaState CATCHING_UP = new ReplicaState(true, ADDRESS, 3306, false, true, true, null, 2003, "connecting", 0, "");

    private static ServerState primary(boolean readOnly, boolean blank, boolean appReady, String label) {
        return new ServerState(PRIMARY, 0, ADDRESS, 3306, true, null, readOnly, blank, appReady, ReplicaState.NOT_CONFIGURED, "", "", label);
    }

    private static ServerState healthyPrimary() {
        return primary(false, false, true, "primary");
    }

    private static ServerState replica(int ordinal, ReplicaState replication, String ahead, String label) {
        return new ServerState("school-mysql-" + ordinal, ordinal, "school-mysql-" + ordinal + ".school-mysql.edu.svc", 3306, true, null,
                true, false, false, replication, ahead, "", label);
    }

    private static ReplicationPlan decide(ServerState... servers) {
        return ReplicationDecision.decide(new ClusterState(0, List.of(servers), servers.length - 1, 2));
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
                ReplicaState.NOT_CONFIGURED, own, "", null);
        ReplicationPlan plan = decide(primary(true, true, false, null), fresh);

        List<ReplicationAction> expected = engine == MysqlEngine.MariaDB
                ? List.of(new MakeWritable(PRIMARY), new BootstrapApp(PRIMARY), new ClearOwnTransactions("school-mysql-1"),
                        new ReplicateFromPrimary("school-mysql-1", ADDRESS, 3306, false))
                : List.of(new MakeWritable(PRIMARY), new BootstrapApp(PRIMARY), new ReplicateFromPrimary("school-mysql-1", ADDRESS, 3306, false));
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
        assertThat(plan.actions()).containsExactly(new MakeWritable(PRIMARY));
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
        ReplicaState elsewhere = new ReplicaState(true, "10.0.0.9", 3306, true, false, true, 0L, 0, "", 0, "");
        ServerState writable = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, false, false,
                false, elsewhere, "", "", "replica");
        ReplicationPlan plan = decide(healthyPrimary(), writable);
        assertThat(plan.actions()).containsExactly(new MakeReadOnly("school-mysql-1"), new ReplicateFromPrimary("school-mysql-1", ADDRESS, 3306, true));
        assertThat(labels(plan)).containsExactly(removed("school-mysql-1"));
    }

    @Test
    void aNewReplicaThatNeedsPurgedLogsIsReportedNotStarted() {
        ServerState behind = new ServerState("school-mysql-1", 1, "school-mysql-1.school-mysql.edu.svc", 3306, true, null, true, true, false,
                ReplicaState.NOT_CONFIGURED, "", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20", null);
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
                true, ReplicaState.NOT_CONFIGURED, "", "", "primary");
        ReplicationPlan plan = ReplicationDecision.decide(new ClusterState(2, List.of(primaryAtTwo), 1, 2));
        assertThat(plan.reason()).isEqualTo("ScaleDownBlocked");
        assertThat(plan.message()).contains("school-mysql-2");
    }
}
