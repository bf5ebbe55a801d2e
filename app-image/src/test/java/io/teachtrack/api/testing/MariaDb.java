package io.teachtrack.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real MariaDB server (Debian's mariadb-server) on 127.0.0.1: its own data directory, port and server id, binary
 * log and GTIDs as the operator configures them, and the general query log kept in a table so tests can count the
 * statements a server really ran.
 */
public final class MariaDb implements AutoCloseable {

    public static final String ROOT_PASSWORD = "root-test-password";

    private final Path dir;
    private final int serverId;
    private final int port;
    private Path socketDir;
    private Process process;

    private final String bufferPool;

    public MariaDb(Path dir, int serverId) {
        this(dir, serverId, "64M");
    }

    /** With an InnoDB buffer pool of this size (benchmarks keep their whole data set in memory, as a real server would). */
    public MariaDb(Path dir, int serverId, String bufferPool) {
        this.dir = dir;
        this.serverId = serverId;
        this.port = LocalProcess.freePort();
        this.bufferPool = bufferPool;
    }

    public MariaDb start() {
        try {
            if (!Files.isDirectory(dir.resolve("data/mysql"))) {
                Files.createDirectories(dir.resolve("data"));
                LocalProcess.run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"), "--user=root",
                        "--auth-root-authentication-method=normal", "--skip-test-db"), dir.resolve("install.log"), Duration.ofMinutes(2));
            }
            // Unix socket paths are limited to 107 bytes: keep the socket out of the (deep) build directory.
            socketDir = socketDir == null ? Files.createTempDirectory("ttapp-db-") : socketDir;
            Files.writeString(dir.resolve("init.sql"), """
                    SET sql_log_bin = 0;
                    DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1';
                    CREATE USER IF NOT EXISTS 'root'@'%%' IDENTIFIED BY '%s';
                    GRANT ALL PRIVILEGES ON *.* TO 'root'@'%%' WITH GRANT OPTION;
                    """.formatted(ROOT_PASSWORD));
            Files.writeString(dir.resolve("my.cnf"), """
                    [mariadbd]
                    datadir = %s
                    port = %d
                    bind_address = 127.0.0.1
                    socket = %s
                    pid_file = %s
                    log_error = %s
                    user = root
                    server_id = %d
                    init_file = %s
                    innodb_buffer_pool_size = %s
                    innodb_log_file_size = 16M
                    performance_schema = OFF
                    skip_name_resolve = ON
                    log_bin = mysql-bin
                    binlog_format = ROW
                    log_slave_updates = ON
                    gtid_strict_mode = ON
                    general_log = OFF
                    log_output = TABLE
                    character_set_server = utf8mb4
                    collation_server = utf8mb4_unicode_ci
                    """.formatted(dir.resolve("data"), port, socketDir.resolve("mysqld.sock"), dir.resolve("mysqld.pid"),
                    dir.resolve("error.log"), serverId, dir.resolve("init.sql"), bufferPool));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = LocalProcess.start(List.of("mariadbd", "--defaults-file=" + dir.resolve("my.cnf")), dir.resolve("stdout.log"));
        awaitReady();
        return this;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mariadbd exited; see " + dir.resolve("error.log") + " (run 'make deps')");
            }
            try (Connection ignored = root()) {
                return;
            } catch (SQLException e) {
                LocalProcess.pause(200);
            }
        }
        throw new IllegalStateException("mariadbd did not accept connections in 60s; see " + dir.resolve("error.log"));
    }

    public Connection root() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=2000&socketTimeout=30000&allowPublicKeyRetrieval=true",
                "root", ROOT_PASSWORD);
    }

    /** Runs statements as root (tests only: fixed SQL, no user input). */
    public void sql(String... statements) {
        try (Connection connection = root(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on server " + serverId + ": " + e.getMessage(), e);
        }
    }

    public long queryLong(String sql) {
        try (Connection connection = root(); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("on server " + serverId + ": " + e.getMessage(), e);
        }
    }

    public String queryString(String sql) {
        try (Connection connection = root(); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("on server " + serverId + ": " + e.getMessage(), e);
        }
    }

    /** Starts recording every statement the app's user runs here, from now on. */
    public void recordStatements() {
        // Not binlogged: on a replica it would be an errant transaction that breaks replication (GTID strict mode).
        sql("SET SESSION sql_log_bin = 0", "SET GLOBAL general_log = OFF", "TRUNCATE mysql.general_log", "SET GLOBAL general_log = ON");
    }

    /** SELECTs the app's user ran here since {@link #recordStatements()} whose text ends with {@code suffix}. */
    public long selectsEndingWith(String suffix) {
        String pattern = "SELECT %" + suffix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("'", "''");
        return queryLong("SELECT COUNT(*) FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')"
                + " AND user_host LIKE 'teachtrack[%' AND CONVERT(argument USING utf8mb4) LIKE '" + pattern + "'");
    }

    public void kill() {
        LocalProcess.kill(process);
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

    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        LocalProcess.stop(process);
    }
}
