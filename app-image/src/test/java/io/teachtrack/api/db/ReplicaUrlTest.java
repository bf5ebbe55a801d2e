package io.teachtrack.api.db;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaUrlTest {

    @Test
    void theOperatorsUrlNamesOneHost() {
        ReplicaUrl url = ReplicaUrl.parse("jdbc:mysql://school-mysql-replicas.prod.svc:3306/teachtrack");
        assertThat(url.hosts()).containsExactly(new ReplicaUrl.HostPort("school-mysql-replicas.prod.svc", 3306));
        assertThat(url.forAddress("10.1.2.3", 3306)).isEqualTo("jdbc:mysql://10.1.2.3:3306/teachtrack");
    }

    @Test
    void severalHostsDefaultPortsIpv6AndParametersAreKept() {
        ReplicaUrl url = ReplicaUrl.parse("jdbc:mysql://a,b:3307,[fd00::5]:3308/teachtrack?sslMode=REQUIRED");
        assertThat(url.hosts()).isEqualTo(List.of(new ReplicaUrl.HostPort("a", 3306), new ReplicaUrl.HostPort("b", 3307),
                new ReplicaUrl.HostPort("fd00::5", 3308)));
        assertThat(url.forAddress("fd00::5", 3308)).isEqualTo("jdbc:mysql://[fd00::5]:3308/teachtrack?sslMode=REQUIRED");
        assertThat(ReplicaUrl.parse("jdbc:mysql:loadbalance://a:1,b:2/db").hosts()).hasSize(2);
    }

    @Test
    void aUrlThatIsNotMysqlSaysWhatIsExpected() {
        assertThatThrownBy(() -> ReplicaUrl.parse("jdbc:postgresql://a/db")).hasMessageContaining("jdbc:mysql://host");
        assertThatThrownBy(() -> ReplicaUrl.parse("jdbc:mysql://a:x/db")).hasMessageContaining("not a port: 'x'");
        assertThatThrownBy(() -> ReplicaUrl.parse("jdbc:mysql://a,,b/db")).hasMessageContaining("empty host");
    }
}
