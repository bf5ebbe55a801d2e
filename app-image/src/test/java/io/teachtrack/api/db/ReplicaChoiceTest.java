package io.teachtrack.api.db;

import io.teachtrack.api.db.ReplicaChoice.Candidate;
import io.teachtrack.api.db.ReplicaChoice.Choice;
import io.teachtrack.api.db.ReplicaChoice.LastWriteLookup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaChoiceTest {

    private static final Duration BUDGET = Duration.ofSeconds(2);
    private static final long NOW = 1_000_000;

    private static Candidate<String> replica(String name, boolean reachable, long appliedMark, long lagMillis) {
        return new Candidate<>(name, new Replica.Observation(reachable, appliedMark, Duration.ofMillis(lagMillis), NOW));
    }

    private static Choice<String> choose(List<Candidate<String>> candidates, long notBefore, LastWriteLookup lastWrite, int rotation) {
        return ReplicaChoice.choose(candidates, BUDGET, notBefore, lastWrite, rotation);
    }

    @Test
    void noReplicaOrNoneAnsweringSendsReadsToThePrimary() {
        assertThat(choose(List.of(), 0, LastWriteLookup.NONE, 0).primaryReason()).isEqualTo("replica-down");
        assertThat(choose(List.of(replica("a", false, NOW, 0)), 0, LastWriteLookup.NONE, 0).primaryReason()).isEqualTo("replica-down");
    }

    @Test
    void readsRotateOverTheReplicasThatQualify() {
        List<Candidate<String>> replicas = List.of(replica("a", true, NOW, 0), replica("b", false, NOW, 0), replica("c", true, NOW, 0));
        Set<String> chosen = new HashSet<>();
        for (int rotation = 0; rotation < 4; rotation++) {
            chosen.add(choose(replicas, 0, LastWriteLookup.NONE, rotation).replica());
        }
        assertThat(chosen).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void aLaggingReplicaIsSkippedAndWhenAllLagTheReasonSaysSo() {
        assertThat(choose(List.of(replica("a", true, NOW, 2_500), replica("b", true, NOW, 100)), 0, LastWriteLookup.NONE, 0).replica())
                .isEqualTo("b");
        assertThat(choose(List.of(replica("a", true, NOW, 2_500)), 0, LastWriteLookup.NONE, 0).primaryReason()).isEqualTo("replica-lag");
        assertThat(choose(List.of(replica("a", true, NOW, 2_000)), 0, LastWriteLookup.NONE, 0).replica()).as("at the budget").isEqualTo("a");
    }

    @Test
    void aReadThatMustIncludeAWriteGoesOnlyToAReplicaThatAppliedIt() {
        long written = NOW - 1_000;
        List<Candidate<String>> replicas = List.of(replica("behind", true, written, 0), replica("ahead", true, written + 60, 0));
        for (int rotation = 0; rotation < 4; rotation++) {
            assertThat(choose(replicas, written, LastWriteLookup.NONE, rotation).replica()).isEqualTo("ahead");
        }
        assertThat(choose(List.of(replica("behind", true, written, 0)), written, LastWriteLookup.NONE, 0).primaryReason())
                .isEqualTo("recent-write");
    }

    @Test
    void theReadersOwnLastWriteIsCheckedOnEachReplica() {
        long written = NOW - 1_000;
        LastWriteLookup wrote = () -> new ReadYourWrites.LastWrite.At(written);
        List<Candidate<String>> replicas = List.of(replica("behind", true, written - 5_000, 0), replica("ahead", true, written + 60, 0));
        for (int rotation = 0; rotation < 4; rotation++) {
            assertThat(choose(replicas, 0, wrote, rotation).replica()).isEqualTo("ahead");
        }
        assertThat(choose(List.of(replicas.getFirst()), 0, wrote, 0).primaryReason()).isEqualTo("read-your-writes");
        assertThat(choose(replicas, 0, wrote, 0).catchUp()).as("a known last write needs no catching up").isFalse();
        var unknown = choose(replicas, 0, ReadYourWrites.LastWrite.Unknown::new, 0);
        assertThat(unknown.replica()).as("an unknown last write (Redis down) keeps the read on a replica").isNotNull();
        assertThat(unknown.catchUp()).as("which must first apply the primary's current position").isTrue();
    }

    @Test
    void theLastWriteIsLookedUpOnlyWhenAReplicaIsOtherwiseUsable() {
        LastWriteLookup mustNotBeAsked = () -> {
            throw new AssertionError("looked up");
        };
        assertThat(choose(List.of(replica("a", true, NOW, 5_000)), 0, mustNotBeAsked, 0).primaryReason()).isEqualTo("replica-lag");
    }
}
