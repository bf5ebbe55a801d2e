package io.teachtrack.api.testing;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A real redis-server (Debian's) on 127.0.0.1, with no persistence; it can be paused, killed and brought back. */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    public RedisServer(Path dir) {
        this.dir = dir;
        this.port = LocalProcess.freePort();
    }

    public RedisServer start() {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        process = LocalProcess.start(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()), dir.resolve("redis.log"));
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log") + " (run 'make deps')");
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (java.io.IOException e) {
                LocalProcess.pause(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void pause() {
        LocalProcess.signal(process, "STOP");
    }

    public void resume() {
        LocalProcess.signal(process, "CONT");
    }

    public void kill() {
        LocalProcess.kill(process);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }


    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
        }
        LocalProcess.stop(process);
    }
}
