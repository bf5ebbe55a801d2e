package io.teachtrack.operator.mysql;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SqlSessionTest {

    /**
     * A frozen server's kernel still accepts the connection; the server never greets. The session gives up after the
     * connect timeout, not after the socket timeout meant for long statements (which would stall a whole pass).
     */
    @Test
    void aServerThatAcceptsButNeverGreetsIsGivenUpAfterTheConnectTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> assertThatThrownBy(() -> SqlSession.open("127.0.0.1",
                    silent.getLocalPort(), "root", "secret", Duration.ofSeconds(1), Duration.ofHours(1)))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret")));
            silent.close();
            acceptor.join();
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
        assertThat(accepted).as("the driver did connect: the wait was for the greeting").isNotEmpty();
    }
}
