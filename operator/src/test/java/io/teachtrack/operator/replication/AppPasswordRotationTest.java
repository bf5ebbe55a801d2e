package io.teachtrack.operator.replication;

import io.teachtrack.operator.replication.AppPasswordRotation.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rotations' decisions (app and replication users), from what a pass observes, without servers. */
class AppPasswordRotationTest {

    @Test
    void aSecretPasswordTheAccountRefusesIsSetWithTheOldOneKept() {
        assertThat(AppPasswordRotation.decide(false, false, false)).isEqualTo(Step.SET_KEEPING_OLD);
        assertThat(AppPasswordRotation.decide(false, false, true)).isEqualTo(Step.SET_KEEPING_OLD);
        // A second change before the first rotation ended: the newest password is set, the one before is kept.
        assertThat(AppPasswordRotation.decide(false, true, false)).isEqualTo(Step.SET_KEEPING_OLD);
    }

    @Test
    void theOldPasswordGoesOnlyOnceEveryPodUsesTheNewOne() {
        assertThat(AppPasswordRotation.decide(true, true, false)).isEqualTo(Step.WAIT_FOR_PODS);
        assertThat(AppPasswordRotation.decide(true, true, true)).isEqualTo(Step.DISCARD_OLD);
    }

    @Test
    void nothingHappensWhenTheSecretAndTheDatabaseAgree() {
        assertThat(AppPasswordRotation.decide(true, false, true)).isEqualTo(Step.NONE);
        assertThat(AppPasswordRotation.decide(true, false, false)).as("pods rolling for another reason").isEqualTo(Step.NONE);
    }

    @Test
    void theReplicationPasswordIsDiscardedOnlyOnceEveryReplicaCouldBeRepointed() {
        assertThat(ReplicationPasswordRotation.decide(false, false, false)).isEqualTo(ReplicationPasswordRotation.Step.SET_KEEPING_OLD);
        assertThat(ReplicationPasswordRotation.decide(true, true, false)).as("a replica that does not answer may hold the old one")
                .isEqualTo(ReplicationPasswordRotation.Step.WAIT_FOR_REPLICAS);
        assertThat(ReplicationPasswordRotation.decide(true, true, true)).isEqualTo(ReplicationPasswordRotation.Step.REPOINT_AND_DISCARD);
        assertThat(ReplicationPasswordRotation.decide(true, false, true)).isEqualTo(ReplicationPasswordRotation.Step.NONE);
    }
}
