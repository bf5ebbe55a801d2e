package io.teachtrack.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.TeachTracks;
import io.teachtrack.operator.replication.ReplicationPlan;
import io.teachtrack.operator.replication.ReplicationReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Condition transitions, phase and the events they cause, from observations alone. */
class StatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-22T10:05:00Z");
    private static final Instant T2 = Instant.parse("2026-11-22T10:09:00Z");

    private final StatusAggregator aggregator = new StatusAggregator();
    private final TeachTrack tt = TeachTracks.school();

    @Test
    void nothingCreatedYetIsProvisioning() {
        TeachTrackStatus status = aggregator.aggregate(tt, new Observation(null, null, null, null, null, null), T0);
        assertThat(status.getPhase()).isEqualTo(Phase.Provisioning);
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertCondition(status, "Ready", "False", "MysqlMissing");
        assertCondition(status, "Progressing", "True", "Provisioning");
        assertCondition(status, "Degraded", "False", "AsExpected");
        assertCondition(status, "ReplicationReady", "Unknown", "WaitingForPrimary");
        assertCondition(status, "ApiReady", "False", "WaitingForDatabase");
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getReason()).matches("[A-Z][A-Za-z]+");
            assertThat(c.getMessage()).isNotBlank();
        });
        assertThat(TransitionEvents.between(null, status)).extracting(TransitionEvents.EventSpec::reason).containsExactly("Provisioning");
    }

    @Test
    void everythingReadyIsReady() {
        TeachTrackStatus status = aggregator.aggregate(tt, healthy(), T0);
        assertThat(status.getPhase()).isEqualTo(Phase.Ready);
        assertCondition(status, "Ready", "True", "AllComponentsReady");
        assertCondition(status, "Progressing", "False", "ReconciliationComplete");
        assertCondition(status, "ReplicationReady", "True", "ReplicationRunning");
        assertThat(status.getMysql().getMaxLagSeconds()).isEqualTo(0L);
        for (String type : new String[] {"DatabaseReady", "CacheReady", "ApiReady", "WorkersReady"}) {
            assertThat(condition(status, type).getStatus()).as(type).isEqualTo("True");
        }
        assertThat(status.getApi().getReplicas()).isEqualTo(4);
        assertThat(status.getApi().getReadyReplicas()).isEqualTo(4);
        assertThat(status.getMysql().getPrimary()).isEqualTo("school-mysql-0");
        assertThat(status.getMysql().getReadyReplicas()).isEqualTo(2);
        assertThat(status.getRedis().getReady()).isTrue();
        assertThat(status.getEndpoints().getMysqlReplicas()).isEqualTo("school-mysql-replicas.edu.svc:3306");
        assertThat(status.getEndpoints().getRedis()).isEqualTo("school-redis.edu.svc:6379");
    }

    @Test
    void sameObservationGivesAnEqualStatusSoNothingIsWritten() {
        tt.setStatus(aggregator.aggregate(tt, healthy(), T0));
        TeachTrackStatus again = aggregator.aggregate(tt, healthy(), T1);
        JsonNode expected = Serialization.jsonMapper().valueToTree(tt.getStatus());
        JsonNode actual = Serialization.jsonMapper().valueToTree(again);
        assertThat(actual).isEqualTo(expected);
        assertThat(TransitionEvents.between(tt.getStatus(), again)).isEmpty();
    }

    @Test
    void losingRedisAfterReadyDegradesAndRecoveringEmitsRecovered() {
        TeachTrackStatus ready = aggregator.aggregate(tt, healthy(), T0);
        tt.setStatus(ready);

        Observation redisDown = new Observation(sts(3, 3), deployment(1, 0), deployment(4, 4), deployment(2, 2),
                replicating(), null);
        TeachTrackStatus degraded = aggregator.aggregate(tt, redisDown, T1);
        assertThat(degraded.getPhase()).isEqualTo(Phase.Degraded);
        assertCondition(degraded, "Degraded", "True", "RedisNotReady");
        assertCondition(degraded, "CacheReady", "False", "RedisNotReady");
        assertCondition(degraded, "Ready", "False", "RedisNotReady");
        assertCondition(degraded, "Progressing", "False", "Stalled");
        assertThat(condition(degraded, "Ready").getLastTransitionTime()).as("flipped").isEqualTo("2026-11-22T10:05:00Z");
        assertThat(condition(degraded, "DatabaseReady").getLastTransitionTime()).as("unchanged").isEqualTo("2026-11-22T10:00:00Z");
        assertThat(TransitionEvents.between(ready, degraded)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("Degraded");
            assertThat(e.message()).contains("RedisNotReady");
        });

        tt.setStatus(degraded);
        TeachTrackStatus recovered = aggregator.aggregate(tt, healthy(), T2);
        assertThat(recovered.getPhase()).isEqualTo(Phase.Ready);
        assertThat(condition(recovered, "Ready").getLastTransitionTime()).isEqualTo("2026-11-22T10:09:00Z");
        assertThat(TransitionEvents.between(degraded, recovered)).extracting(TransitionEvents.EventSpec::reason).containsExactly("Recovered");
    }

    @Test
    void aRefusedVolumeGrowthIsReportedOnceWithoutTakingThePlatformOutOfReady() {
        TeachTrackStatus ready = aggregator.aggregate(tt, healthy(), T0);
        assertCondition(ready, "VolumesReady", "True", "SizeApplied");
        tt.setStatus(ready);

        Observation refused = new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4), deployment(2, 2), replicating(), null,
                "Growing the MySQL volumes to 20Gi was refused: only dynamically provisioned pvc can be resized");
        TeachTrackStatus reported = aggregator.aggregate(tt, refused, T1);
        assertThat(reported.getPhase()).isEqualTo(Phase.Ready);
        assertCondition(reported, "VolumesReady", "False", "ExpansionRefused");
        assertThat(condition(reported, "VolumesReady").getMessage()).contains("20Gi", "StorageClass must allow volume expansion");
        assertThat(TransitionEvents.between(ready, reported)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("VolumeExpansionRefused");
        });
        tt.setStatus(reported);
        assertThat(TransitionEvents.between(reported, aggregator.aggregate(tt, refused, T2))).as("still refused: no new event").isEmpty();
    }

    @Test
    void firstTimeReadyEmitsProvisionedAndScalingEmitsScaled() {
        TeachTrackStatus provisioning = aggregator.aggregate(tt, new Observation(sts(3, 0), null, null, null, null, null), T0);
        tt.setStatus(provisioning);
        TeachTrackStatus ready = aggregator.aggregate(tt, healthy(), T1);
        assertThat(TransitionEvents.between(provisioning, ready)).extracting(TransitionEvents.EventSpec::reason).containsExactly("Provisioned");

        tt.setStatus(ready);
        Observation scaled = new Observation(sts(3, 3), deployment(1, 1), deployment(6, 6), deployment(2, 2),
                replicating(), null);
        TeachTrackStatus after = aggregator.aggregate(tt, scaled, T2);
        assertThat(TransitionEvents.between(ready, after)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("API scaled from 4 to 6 pods"));
    }

    @Test
    void aReconcileErrorBeforeEverBeingReadyIsFailedAndAfterIsDegraded() {
        Observation failing = new Observation(null, null, null, null, null, "secrets \"school-credentials\" is forbidden");
        TeachTrackStatus failed = aggregator.aggregate(tt, failing, T0);
        assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
        assertCondition(failed, "Degraded", "True", "ReconcileError");
        assertThat(condition(failed, "Degraded").getMessage()).contains("forbidden");

        tt.setStatus(aggregator.aggregate(tt, healthy(), T1));
        Observation errorAfterReady = new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4), deployment(2, 2),
                replicating(), "Internal error");
        assertThat(aggregator.aggregate(tt, errorAfterReady, T2).getPhase()).isEqualTo(Phase.Degraded);
    }

    @Test
    void cacheOffIsReadyWithoutRedis() {
        tt.getSpec().getApi().getCache().setEnabled(false);
        Observation noRedis = new Observation(sts(3, 3), null, deployment(4, 4), deployment(2, 2),
                replicating(), null);
        TeachTrackStatus status = aggregator.aggregate(tt, noRedis, T0);
        assertCondition(status, "CacheReady", "True", "CacheDisabled");
        assertThat(status.getPhase()).isEqualTo(Phase.Ready);
        assertThat(status.getRedis()).isNull();
        assertThat(status.getEndpoints().getRedis()).isNull();
    }

    @Test
    void aRolloutInProgressIsNotReady() {
        Deployment rolling = new DeploymentBuilder(deployment(4, 4)).editStatus().withUpdatedReplicas(2).endStatus().build();
        Observation seen = new Observation(sts(3, 3), deployment(1, 1), rolling, deployment(2, 2),
                replicating(), null);
        assertCondition(aggregator.aggregate(tt, seen, T0), "ApiReady", "False", "RolloutInProgress");
    }

    @Test
    void anErrantReplicaDegradesAReadyPlatformWithItsReason() {
        tt.setStatus(aggregator.aggregate(tt, healthy(), T0));
        ReplicationReport errant = new ReplicationReport("school-mysql-0", "False", "ErrantTransactions",
                "school-mysql-2 is ErrantTransactions: Holds transactions the primary does not have: 0-101-1",
                true, 1, 0L, List.of());
        Observation seen = new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4), deployment(2, 2), errant, null);
        TeachTrackStatus status = aggregator.aggregate(tt, seen, T1);
        assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
        assertCondition(status, "Degraded", "True", "ErrantTransactions");
        assertThat(condition(status, "Degraded").getMessage()).contains("0-101-1");
        assertThat(status.getMysql().getReadyReplicas()).isEqualTo(1);
    }

    @Test
    void aPrimaryThatTakesNoWritesDegradesThePlatformAsADatabaseProblem() {
        tt.setStatus(aggregator.aggregate(tt, healthy(), T0));
        ReplicationReport unreachable = new ReplicationReport("school-mysql-0", "False", "PrimaryUnreachable",
                "Cannot reach the primary school-mysql-0: Communications link failure", false, 2, 0L, List.of());
        Observation seen = new Observation(sts(3, 2), deployment(1, 1), deployment(4, 4), deployment(2, 2), unreachable, null);
        TeachTrackStatus status = aggregator.aggregate(tt, seen, T1);
        assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
        assertCondition(status, "DatabaseReady", "False", "PrimaryUnreachable");
        assertCondition(status, "Degraded", "True", "PrimaryUnreachable");
        assertThat(status.getMysql().getPrimary()).isEqualTo("school-mysql-0");
    }

    @Test
    void theRecordedPrimaryIsTheOneTheReplicationStepReports() {
        ReplicationReport elsewhere = new ReplicationReport("school-mysql-2", "True", "ReplicationRunning", "2/2 replicas", true, 2, 0L,
                List.of());
        Observation seen = new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4), deployment(2, 2), elsewhere, null);
        TeachTrackStatus status = aggregator.aggregate(tt, seen, T0);
        assertThat(status.getMysql().getPrimary()).isEqualTo("school-mysql-2");
        assertThat(status.getMysql().getPrimaryOrdinal()).isEqualTo(2);
        assertCondition(status, "DatabaseReady", "True", "PrimaryReady");
        assertThat(condition(status, "DatabaseReady").getMessage()).contains("school-mysql-2");
    }

    @Test
    void lagJitterWithinTheBudgetDoesNotRewriteTheStatus() {
        TeachTrackStatus first = aggregator.aggregate(tt, withLag(0L), T0);
        tt.setStatus(first);
        TeachTrackStatus jitter = aggregator.aggregate(tt, withLag(1L), T1);
        assertThat(Serialization.asJson(jitter)).as("0 s then 1 s: the same status").isEqualTo(Serialization.asJson(first));
        TeachTrackStatus behind = aggregator.aggregate(tt, withLag(3L), T1);
        assertThat(behind.getMysql().getReplicas()).singleElement().satisfies(r -> assertThat(r.getLagSeconds()).isEqualTo(3L));
        assertThat(behind.getMysql().getMaxLagSeconds()).isEqualTo(3L);
    }

    @Test
    void aFailoverIsRecordedOnceWithAnEventAndKeptAfterwards() {
        ReplicationReport failedOver = new ReplicationReport("school-mysql-1", "False", "FailingOver", "promoting school-mysql-1", false, 1,
                0L, List.of(), null, new ReplicationPlan.Promotion("school-mysql-0", "school-mysql-1", "unreachable for 10 s"), true, null);
        TeachTrackStatus first = aggregator.aggregate(tt, new Observation(sts(3, 2), deployment(1, 1), deployment(4, 4), deployment(2, 2),
                failedOver, null), T1);
        assertThat(first.getMysql().getPrimary()).isEqualTo("school-mysql-1");
        assertThat(first.getMysql().getLastFailover()).satisfies(f -> {
            assertThat(f.getFrom()).isEqualTo("school-mysql-0");
            assertThat(f.getTo()).isEqualTo("school-mysql-1");
            assertThat(f.getTime()).isEqualTo("2026-11-22T10:05:00Z");
        });
        assertThat(TransitionEvents.between(null, first)).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("FailedOver");
            assertThat(e.type()).isEqualTo("Warning");
        });
        tt.setStatus(first);
        TeachTrackStatus later = aggregator.aggregate(tt, healthy(), T2);
        assertThat(later.getMysql().getLastFailover().getTime()).isEqualTo("2026-11-22T10:05:00Z");
        assertThat(TransitionEvents.between(first, later)).noneMatch(e -> e.reason().equals("FailedOver"));
    }

    @Test
    void aSwitchoverRecordKeepsItsRequestOnlyWhileTheAnnotationSaysTheSame() {
        tt.getMetadata().setAnnotations(new HashMap<>(Map.of(Labels.SWITCHOVER_ANNOTATION, "school-mysql-2")));
        ReplicationReport switched = new ReplicationReport("school-mysql-2", "False", "SwitchingOver", "switched", false, 2, 0L, List.of(),
                null, null, true, new ReplicationPlan.Switchover("school-mysql-0", "school-mysql-2", ReplicationPlan.Switchover.COMPLETED,
                        "Switched over from school-mysql-0 to school-mysql-2"));
        TeachTrackStatus answered = aggregator.aggregate(tt, new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4),
                deployment(2, 2), switched, null), T1);
        assertThat(answered.getMysql().getLastSwitchover().getRequest()).isEqualTo("school-mysql-2");
        assertThat(answered.getMysql().getLastSwitchover().getResult()).isEqualTo("Completed");
        assertThat(TransitionEvents.between(null, answered)).extracting(TransitionEvents.EventSpec::reason).contains("SwitchedOver");
        tt.setStatus(answered);
        assertThat(aggregator.aggregate(tt, healthy(), T2).getMysql().getLastSwitchover().getRequest()).as("still asked: answered")
                .isEqualTo("school-mysql-2");

        tt.getMetadata().setAnnotations(new HashMap<>());
        TeachTrackStatus forgotten = aggregator.aggregate(tt, healthy(), T2);
        assertThat(forgotten.getMysql().getLastSwitchover().getRequest()).as("the same value may be asked again").isNull();
        assertThat(forgotten.getMysql().getLastSwitchover().getResult()).isEqualTo("Completed");
    }

    private static Observation withLag(long lag) {
        ReplicaStatus replica = new ReplicaStatus();
        replica.setName("school-mysql-1");
        replica.setState("Running");
        replica.setRole("replica");
        replica.setLagSeconds(lag);
        ReplicationReport report = new ReplicationReport("school-mysql-0", "True", "ReplicationRunning", "1/1 replicas", true, 1, lag,
                List.of(replica));
        return new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4), deployment(2, 2), report, null);
    }

    private static ReplicationReport replicating() {
        return new ReplicationReport("school-mysql-0", "True", "ReplicationRunning", "2/2 replicas replicate with GTIDs within 2 s",
                true, 2, 0L, List.of());
    }

    private static Observation healthy() {
        return new Observation(sts(3, 3), deployment(1, 1), deployment(4, 4), deployment(2, 2),
                replicating(), null);
    }

    private static StatefulSet sts(int wanted, int ready) {
        return new StatefulSetBuilder().withNewMetadata().withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(wanted).endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(wanted).withReadyReplicas(ready).endStatus().build();
    }

    private static Deployment deployment(int wanted, int ready) {
        return new DeploymentBuilder().withNewMetadata().withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(wanted).endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(wanted).withUpdatedReplicas(wanted)
                .withReadyReplicas(ready).endStatus().build();
    }

    private static Condition condition(TeachTrackStatus status, String type) {
        return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    private static void assertCondition(TeachTrackStatus status, String type, String expectedStatus, String expectedReason) {
        Condition c = condition(status, type);
        assertThat(c.getStatus()).as(type + " status").isEqualTo(expectedStatus);
        assertThat(c.getReason()).as(type + " reason").isEqualTo(expectedReason);
    }
}
