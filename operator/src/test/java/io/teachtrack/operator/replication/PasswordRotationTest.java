package io.teachtrack.operator.replication;

import io.teachtrack.operator.replication.PasswordRotation.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A rotation's decisions (app and replication users alike), from what a pass observes, without servers. */
class PasswordRotationTest {

    @Test
    void aSecretPasswordTheAccountRefusesIsSetWithTheOldOneKept() {
        assertThat(PasswordRotation.decide(false, false, false)).isEqualTo(Step.SET_KEEPING_OLD);
        assertThat(PasswordRotation.decide(false, false, true)).isEqualTo(Step.SET_KEEPING_OLD);
        // A second change before the first rotation ended: the newest password is set, the one before is kept.
        assertThat(PasswordRotation.decide(false, true, false)).isEqualTo(Step.SET_KEEPING_OLD);
    }

    @Test
    void theOldPasswordGoesOnlyOnceNothingUsesItAnyMore() {
        // App user: API or worker pods started before are still there. Replication user: a replica does not answer.
        assertThat(PasswordRotation.decide(true, true, false)).isEqualTo(Step.WAIT);
        assertThat(PasswordRotation.decide(true, true, true)).isEqualTo(Step.DISCARD_OLD);
    }

    @Test
    void nothingHappensWhenTheSecretAndTheDatabaseAgree() {
        assertThat(PasswordRotation.decide(true, false, true)).isEqualTo(Step.NONE);
        assertThat(PasswordRotation.decide(true, false, false)).as("pods rolling for another reason").isEqualTo(Step.NONE);
    }
}
