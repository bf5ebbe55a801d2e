package io.teachtrack.operator.mysql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MariaDbGtidStateTest {

    @Test
    void parsesStatesPerDomainAndServer() {
        MariaDbGtidState state = MariaDbGtidState.parse("0-1-100, 0-101-3,1-1-7");
        assertThat(state.lastSequence()).hasSize(3)
                .containsEntry(new MariaDbGtidState.Origin(0, 1), 100L)
                .containsEntry(new MariaDbGtidState.Origin(0, 101), 3L)
                .containsEntry(new MariaDbGtidState.Origin(1, 1), 7L);
        assertThat(state).hasToString("0-1-100,0-101-3,1-1-7");
        assertThat(MariaDbGtidState.parse("").isEmpty()).isTrue();
        assertThat(MariaDbGtidState.parse(null).isEmpty()).isTrue();
    }

    @Test
    void aReplicaBehindThePrimaryHasNothingErrant() {
        assertThat(MariaDbGtidState.parse("0-1-90").notIn(MariaDbGtidState.parse("0-1-100")).isEmpty()).isTrue();
        assertThat(MariaDbGtidState.parse("0-1-100").notIn(MariaDbGtidState.parse("0-1-100")).isEmpty()).isTrue();
    }

    @Test
    void transactionsOfAnOriginThePrimaryNeverSawOrBeyondItAreErrant() {
        assertThat(MariaDbGtidState.parse("0-1-100,0-101-2").notIn(MariaDbGtidState.parse("0-1-100"))).hasToString("0-101-2");
        assertThat(MariaDbGtidState.parse("0-1-105").notIn(MariaDbGtidState.parse("0-1-100"))).hasToString("0-1-105");
        assertThat(MariaDbGtidState.parse("1-1-1").notIn(MariaDbGtidState.parse("0-1-100"))).hasToString("1-1-1");
    }

    @Test
    void knowsWhoWroteTheTransactions() {
        assertThat(MariaDbGtidState.parse("0-101-4").onlyFrom(101)).isTrue();
        assertThat(MariaDbGtidState.parse("0-101-4,0-1-9").onlyFrom(101)).isFalse();
        assertThat(MariaDbGtidState.parse("").onlyFrom(101)).isTrue();
    }

    @Test
    void rejectsWhatIsNotAGtid() {
        assertThatThrownBy(() -> MariaDbGtidState.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a MariaDB GTID");
    }

    @Test
    void dropsTheTransactionsOfOneServer() {
        MariaDbGtidState ahead = MariaDbGtidState.parse("0-1-50,0-3-7,1-1-9");
        assertThat(ahead.notFrom(1).toString()).isEqualTo("0-3-7");
        assertThat(ahead.notFrom(3).toString()).isEqualTo("0-1-50,1-1-9");
        assertThat(MariaDbGtidState.parse("0-1-50").notFrom(1).isEmpty()).isTrue();
    }
}
