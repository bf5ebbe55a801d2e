package io.teachtrack.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * A real redis-server (Debian's) on 127.0.0.1, with no persistence and, as in a TeachTrack, a generated password; it can
 * be paused, killed and brought back.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String password = "redis-" + UUID.randomUUID(); // SecureRandom inside
    private Process process;

    public RedisServer(Path dir) {
        this.dir = dir;
        this.port = Processes.freePort();
    }

    public RedisServer start() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = Processes.start(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--requirepass", password), dir.resolve("redis.log"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log") + " (run 'make deps')");
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Without the password: it travels apart from the address, as in a pod. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The server's process id (for its CPU use). */
    public long pid() {
        return process.pid();
    }

    public void pause() {
        Processes.signal(process, "STOP");
    }

    public void resume() {
        Processes.signal(process, "CONT");
    }

    public void kill() {
        Processes.kill(process);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
        }
        Processes.stop(process);
    }
}
