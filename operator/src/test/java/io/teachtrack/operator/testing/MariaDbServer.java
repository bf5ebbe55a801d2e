package io.teachtrack.operator.testing;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.model.MysqlConfigModel;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.model.TeachTracks;
import io.teachtrack.operator.mysql.SqlSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real MariaDB server (Debian's mariadb-server binaries) on 127.0.0.1 with its own data directory and port,
 * configured with the my.cnf fragments the operator's ConfigMap gives a pod of the same role. Root may log in
 * over TCP with a password, as in the container images. Fails loudly when the binaries are missing.
 */
public final class MariaDbServer implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final String cnfFragments;
    private final int serverId;
    private final String rootPassword;
    private final Path dir;
    private final String host;
    private final int port;
    private Process process;
    private Path socketDir;

    /** On 127.0.0.1 and a free port. */
    public MariaDbServer(Path baseDir, String name, MysqlRole role, int ordinal, String rootPassword) {
        this(baseDir, name, role, ordinal, rootPassword, "127.0.0.1", LocalPorts.free());
    }

    /** On a given loopback address and port, configured as the operator's ConfigMap configures a pod of this role. */
    public MariaDbServer(Path baseDir, String name, MysqlRole role, int ordinal, String rootPassword, String host, int port) {
        this(baseDir, name, operatorCnf(role), role.serverIdBase() + ordinal, rootPassword, host, port);
    }

    /**
     * As a pod's database: the my.cnf fragments read from the pod's ConfigMap, the server id its start script
     * derives, bound to the pod's IP.
     */
    public MariaDbServer(Path baseDir, String name, String cnfFragments, int serverId, String rootPassword, String host, int port) {
        this.name = name;
        this.cnfFragments = cnfFragments;
        this.serverId = serverId;
        this.rootPassword = rootPassword;
        this.dir = baseDir.resolve(name);
        this.host = host;
        this.port = port;
    }

    public MariaDbServer start() {
        try {
            if (!Files.isDirectory(dir.resolve("data/mysql"))) {
                Files.createDirectories(dir);
                copyTree(emptyDataDirectory(), dir.resolve("data"));
            }
            Files.writeString(dir.resolve("init.sql"), """
                    SET sql_log_bin = 0;
                    DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1';
                    CREATE USER IF NOT EXISTS 'root'@'%%' IDENTIFIED BY '%s';
                    GRANT ALL PRIVILEGES ON *.* TO 'root'@'%%' WITH GRANT OPTION;
                    """.formatted(rootPassword));
            // A Unix socket path must fit in 107 bytes; a deep checkout (CI's /check/work/main/...) does not.
            socketDir = Files.createTempDirectory("ttdb-");
            String cnf = "[mariadbd]\n"
                    + "datadir = " + dir.resolve("data") + "\n"
                    + "port = " + port + "\n"
                    + "bind_address = " + host + "\n"
                    + "socket = " + socketDir.resolve("mysqld.sock") + "\n"
                    + "pid_file = " + dir.resolve("mysqld.pid") + "\n"
                    + "log_error = " + dir.resolve("error.log") + "\n"
                    + "user = root\n"
                    + "server_id = " + serverId + "\n"
                    + "init_file = " + dir.resolve("init.sql") + "\n"
                    + "innodb_buffer_pool_size = 32M\n"
                    + "innodb_log_file_size = 16M\n"
                    + "performance_schema = OFF\n"
                    + cnfFragments;
            Files.writeString(dir.resolve("my.cnf"), cnf);
            process = new ProcessBuilder("mariadbd", "--defaults-file=" + dir.resolve("my.cnf"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start MariaDB " + name + " (is mariadb-server installed?)", e);
        }
        awaitReady();
        return this;
    }

    private static Path template;

    /**
     * An initialised, never started data directory, made once per test JVM: copying it is much faster than running
     * mariadb-install-db for every server (the benchmarks start dozens).
     */
    private static synchronized Path emptyDataDirectory() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("ttdb-template-");
            List<String> install = List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                    "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db");
            Processes.run(install, dir, Duration.ofMinutes(2)).requireSuccess(install);
            template = dir.resolve("data");
        }
        return template;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static String operatorCnf(MysqlRole role) {
        var tt = TeachTracks.school();
        tt.getSpec().getMysql().setEngine(MysqlEngine.MariaDB);
        var data = MysqlConfigModel.desired(tt).getData();
        return data.get(MysqlConfigModel.COMMON_CNF)
                + data.get(role == MysqlRole.PRIMARY ? MysqlConfigModel.PRIMARY_CNF : MysqlConfigModel.REPLICA_CNF);
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(60);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("MariaDB " + name + " exited: " + tail());
            }
            try (SqlSession ignored = connect()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            LocalPorts.pause(200);
        }
        throw new IllegalStateException("MariaDB " + name + " did not accept connections in 60s: " + last + "\n" + tail());
    }

    public SqlSession connect() throws SQLException {
        return SqlSession.open(host, port, "root", rootPassword, TIMEOUT, Duration.ofSeconds(30));
    }

    public SqlSession connect(String user, String password) throws SQLException {
        return SqlSession.open(host, port, user, password, TIMEOUT, Duration.ofSeconds(30));
    }

    /** Kills the server as a crashed pod would be (SIGKILL). */
    public void kill() {
        Processes.kill(process);
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public int serverId() {
        return serverId;
    }

    @Override
    public void close() {
        kill();
        if (socketDir != null) {
            try {
                Files.deleteIfExists(socketDir.resolve("mysqld.sock"));
                Files.deleteIfExists(socketDir);
            } catch (IOException e) {
                // a leftover empty directory in /tmp is harmless
            }
        }
    }

    private String tail() {
        try {
            Path log = dir.resolve("error.log");
            if (!Files.exists(log)) {
                return "(no error log)";
            }
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(error log unreadable: " + e + ")";
        }
    }
}
