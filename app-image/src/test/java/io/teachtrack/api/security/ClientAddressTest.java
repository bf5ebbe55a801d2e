package io.teachtrack.api.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

    private final ClientAddress behindIngress = new ClientAddress(List.of("10.244.0.0/16", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(new ClientAddress(List.of()).of("10.244.1.7", "203.0.113.9")).isEqualTo("10.244.1.7");
    }

    @Test
    void aClientCannotPickItsOwnBucket() {
        assertThat(behindIngress.of("198.51.100.4", "203.0.113.9")).as("a peer that is no proxy").isEqualTo("198.51.100.4");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        assertThat(behindIngress.of("10.244.1.7", "203.0.113.9")).isEqualTo("203.0.113.9");
        // The client wrote a fake first hop itself; the proxies appended what they saw.
        assertThat(behindIngress.of("10.244.1.7", "1.2.3.4, 203.0.113.9, 10.244.3.3")).isEqualTo("203.0.113.9");
        assertThat(behindIngress.of("fd00::5", "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(behindIngress.of("10.244.1.7", "10.244.2.2")).as("only proxies: the peer").isEqualTo("10.244.1.7");
        assertThat(behindIngress.of("10.244.1.7", "not-an-address")).as("a name is no trusted hop, nor looked up").isEqualTo("not-an-address");
    }

    @Test
    void aBadCidrFailsAtStart() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("ingress.example"))).isInstanceOf(IllegalArgumentException.class);
    }
}
