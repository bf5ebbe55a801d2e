package io.teachtrack.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * A real MySQL or MariaDB server run as a TeachTrack database pod runs: the engine's image from {@code make images}
 * under runc (read-only root, non-root user), the operator's start script and my.cnf (from
 * {@code operator/src/main/resources/mysql}, or the files a ConfigMap holds), the root password from a mounted
 * file. It binds to a loopback address and port of its own. Its data directory survives kill and start, as a
 * pod's volume does.
 */
public final class DatabaseServer implements AutoCloseable {

    public static final String ROOT_USER = "root";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final DatabaseEngine engine;
    private final String name;
    private final int serverIdBase;
    private final String rootPassword;
    private final String host;
    private final int port;
    private final Path dir;
    private final Map<String, String> configFiles;
    private final List<String> serverArgs;
    private Container container;

    private DatabaseServer(Builder builder) {
        this.engine = builder.engine;
        this.name = builder.name;
        this.serverIdBase = builder.serverIdBase;
        this.rootPassword = builder.rootPassword;
        this.host = builder.host;
        this.port = builder.port;
        this.dir = builder.baseDir.resolve(builder.name);
        this.configFiles = builder.configFiles != null ? builder.configFiles : operatorConfig(builder.engine);
        this.serverArgs = List.copyOf(builder.serverArgs);
    }

    /**
     * A server named like a pod ({@code <something>-<ordinal>}: the start script derives the server id from the
     * ordinal), in its own directory under {@code baseDir}.
     */
    public static Builder builder(DatabaseEngine engine, Path baseDir, String name) {
        return new Builder(engine, baseDir, name);
    }

    /** my.cnf and start.sh exactly as the operator's ConfigMap carries them for this engine. */
    public static Map<String, String> operatorConfig(DatabaseEngine engine) {
        Path config = RepoPaths.databaseConfig();
        try {
            return Map.of("my.cnf", Files.readString(config.resolve(engine.cnfFile())),
                    "start.sh", Files.readString(config.resolve("start.sh")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DatabaseServer start() {
        if (container != null && container.isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Path data = ownedDirectory(dir.resolve("data"));
            Path config = Files.createDirectories(dir.resolve("config"));
            for (var file : configFiles.entrySet()) {
                Path target = config.resolve(file.getKey());
                Files.writeString(target, file.getValue());
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(file.getKey().endsWith(".sh") ? "r-xr-xr-x" : "r--r--r--"));
            }
            Path secret = ownedDirectory(dir.resolve("secret"));
            Path password = secret.resolve("mysql-root-password");
            Files.writeString(password, rootPassword);
            Files.setAttribute(password, "unix:uid", Images.user(engine.image()));
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("r--------"));

            List<String> args = new ArrayList<>(List.of("/etc/teachtrack/start.sh", "--bind-address=" + host, "--port=" + port,
                    // Small servers: many run side by side on one machine.
                    "--innodb-buffer-pool-size=32M", "--performance-schema=OFF", "--max-connections=300",
                    // The general log, when a test switches it on, goes to a table the test can count.
                    "--log-output=TABLE"));
            args.addAll(serverArgs);
            Map<String, String> env = new HashMap<>();
            env.put("TEACHTRACK_DB_ENGINE", engine.specName());
            env.put("SERVER_ID_BASE", Integer.toString(serverIdBase));
            env.put("HOSTNAME", name);
            container = new Container(name, engine.image(), args, env, List.of(
                    Container.Mount.bind("/var/lib/mysql", data),
                    Container.Mount.readOnly("/etc/teachtrack", config),
                    Container.Mount.readOnly("/etc/teachtrack-secret", secret),
                    Container.Mount.tmpfs("/run/mysqld"),
                    Container.Mount.tmpfs("/tmp")), dir.resolve("server.log")).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
        return this;
    }

    private Path ownedDirectory(Path path) throws IOException {
        Files.createDirectories(path);
        int uid = Images.user(engine.image());
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", uid);
        return path;
    }

    private void awaitReady() {
        AtomicReference<SQLException> last = new AtomicReference<>();
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!container.isRunning()) {
                    throw new IllegalStateException(engine + " server " + name + " exited:\n" + container.tail(30));
                }
                try (Connection ignored = root()) {
                    return true;
                } catch (SQLException e) {
                    last.set(e);
                    return false;
                }
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException(engine + " server " + name + " did not accept connections in " + READY_TIMEOUT
                    + ": " + last.get() + "\n" + container.tail(30), e);
        }
    }

    public Connection root() throws SQLException {
        return connect(ROOT_USER, rootPassword);
    }

    public Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port
                + "/?connectTimeout=3000&socketTimeout=30000&allowPublicKeyRetrieval=true&sslMode=PREFERRED", user, password);
    }

    /** Runs statements as root (tests only: fixed SQL, no input from outside). */
    public void sql(String... statements) {
        sql(List.of(statements));
    }

    public void sql(List<String> statements) {
        try (Connection connection = root(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + name + ": " + e.getMessage(), e);
        }
    }

    public long queryLong(String sql) {
        String value = queryString(sql);
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    public String queryString(String sql) {
        try (Connection connection = root(); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + name + ": " + e.getMessage(), e);
        }
    }

    /** Lets the operator's job happen by hand: this server accepts writes. */
    public void makeWritable() {
        sql(engine.makeWritable());
    }

    /** Starts recording every statement run here from now on, in mysql.general_log (emptied first). */
    public void recordStatements() {
        // Not binlogged: on a replica it would be an errant transaction that breaks replication. A server killed
        // earlier may have left the (CSV) log table marked crashed: repaired first. MySQL's super_read_only
        // refuses both statements even to root, so it is lifted for them (read_only stays on).
        boolean superReadOnly = engine == DatabaseEngine.MYSQL && queryLong("SELECT @@GLOBAL.super_read_only") == 1;
        List<String> statements = new ArrayList<>(List.of("SET SESSION sql_log_bin = 0", "SET GLOBAL general_log = OFF"));
        if (superReadOnly) {
            statements.add("SET GLOBAL super_read_only = OFF");
        }
        statements.addAll(List.of("REPAIR NO_WRITE_TO_BINLOG TABLE mysql.general_log", "TRUNCATE mysql.general_log"));
        if (superReadOnly) {
            statements.add("SET GLOBAL super_read_only = ON");
        }
        statements.add("SET GLOBAL general_log = ON");
        sql(statements);
    }

    /** SELECTs the given user ran here since {@link #recordStatements()} whose text ends with {@code suffix}. */
    public long selectsEndingWith(String user, String suffix) {
        String pattern = "SELECT %" + suffix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("'", "''");
        return queryLong("SELECT COUNT(*) FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')"
                + " AND user_host LIKE '" + user.replace("'", "''") + "[%' AND CONVERT(argument USING utf8mb4) LIKE '" + pattern + "'");
    }

    /** SIGKILL, as a crashed pod; the data directory stays for the next {@link #start()}. */
    public void kill() {
        if (container != null) {
            container.kill();
        }
    }

    /** Kills the server and empties its data directory, as a pod whose volume was lost: the next {@link #start()} begins empty. */
    public void loseData() {
        kill();
        TestDirectories.fresh(dir.resolve("data"));
    }

    /** Freezes the server's processes (cgroup freezer): it holds its connections but answers nothing. */
    public void freeze() {
        container.freeze();
    }

    public void thaw() {
        container.thaw();
    }

    public boolean isAlive() {
        return container != null && container.isRunning();
    }

    public Container container() {
        return container;
    }

    public DatabaseEngine engine() {
        return engine;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The server id the start script gave the running server. */
    public long serverId() {
        return queryLong("SELECT @@GLOBAL.server_id");
    }

    public String rootPassword() {
        return rootPassword;
    }

    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + database;
    }

    public String log() {
        return container == null ? "" : container.tail(200);
    }

    @Override
    public void close() {
        kill();
    }

    /** How to run one server. */
    public static final class Builder {
        private final DatabaseEngine engine;
        private final Path baseDir;
        private final String name;
        private int serverIdBase = 1;
        private String rootPassword = "root-test-password";
        private String host = "127.0.0.1";
        private int port;
        private Map<String, String> configFiles;
        private final List<String> serverArgs = new ArrayList<>();

        private Builder(DatabaseEngine engine, Path baseDir, String name) {
            if (!name.matches(".*-[0-9]+")) {
                throw new IllegalArgumentException("a database server is named like its pod, <name>-<ordinal>: " + name);
            }
            this.engine = engine;
            this.baseDir = baseDir;
            this.name = name;
        }

        /** server_id = base + the ordinal of the name, for a data directory initialised before server ids were random. */
        public Builder serverIdBase(int base) {
            this.serverIdBase = base;
            return this;
        }

        public Builder rootPassword(String password) {
            this.rootPassword = password;
            return this;
        }

        /** A loopback address and port (default 127.0.0.1 and a free port). */
        public Builder address(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** The ConfigMap's files (my.cnf, start.sh) instead of the repository's. */
        public Builder configFiles(Map<String, String> files) {
            this.configFiles = Map.copyOf(files);
            return this;
        }

        /** More server options, e.g. {@code --log-output=TABLE}. */
        public Builder serverArgs(String... args) {
            serverArgs.addAll(List.of(args));
            return this;
        }

        public DatabaseServer build() {
            if (port == 0) {
                port = Processes.freePort();
            }
            return new DatabaseServer(this);
        }
    }
}
