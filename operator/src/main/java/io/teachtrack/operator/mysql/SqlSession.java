package io.teachtrack.operator.mysql;

import com.mysql.cj.jdbc.NonRegisteringDriver;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One JDBC connection to one MySQL/MariaDB server, with connect and socket timeouts. Every value travels as a
 * bound {@code ?} parameter, and error messages are scrubbed of the bound values before they leave (a server
 * echoes part of a failed statement, which may hold a password).
 */
public final class SqlSession implements AutoCloseable {

    /** Host names and IPv4/IPv6 literals only: a host is part of the JDBC URL, so it is validated, not quoted. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[?[0-9A-Fa-f:.]+]?");

    /**
     * The driver itself rather than DriverManager, which hands out only drivers visible to the caller's class loader
     * (a test run where a Quarkus test loaded the driver first got "No suitable driver").
     */
    private static final Driver DRIVER = newDriver();

    private final Connection connection;
    private final String server;
    /** A statement failed: the session may be half-way through something, so it is never handed out again. */
    private boolean failed;
    /** Where {@link #close()} hands a pooled session back to; null for a session that closes for real. */
    private Consumer<SqlSession> returnTo;

    private SqlSession(Connection connection, String server) {
        this.connection = connection;
        this.server = server;
    }

    public static SqlSession open(String host, int port, String user, String password, Duration connectTimeout,
                                  Duration socketTimeout) throws SQLException {
        if (!HOST.matcher(host).matches() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a valid MySQL address: " + host + ":" + port);
        }
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", String.valueOf(connectTimeout.toMillis()));
        // The connect timeout bounds the whole handshake: a frozen server accepts TCP connections (its kernel does) but
        // never greets, and a pass must not wait the socket timeout on it before it finds the server lost.
        props.setProperty("socketTimeout", String.valueOf(connectTimeout.toMillis()));
        // Client-side prepared statements: the driver escapes parameters into statements that the server
        // cannot prepare (CHANGE MASTER TO, CREATE USER).
        props.setProperty("useServerPrepStmts", "false");
        props.setProperty("sslMode", "PREFERRED");
        props.setProperty("allowPublicKeyRetrieval", "true");
        props.setProperty("connectionTimeZone", "UTC");
        String address = host + ":" + port;
        try {
            Connection connection = DRIVER.connect("jdbc:mysql://" + address + "/", props);
            try {
                connection.setNetworkTimeout(Runnable::run, Math.toIntExact(socketTimeout.toMillis()));
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return new SqlSession(connection, address);
        } catch (SQLException e) {
            throw scrub(e, new Object[] {password});
        }
    }

    private static Driver newDriver() {
        try {
            return new NonRegisteringDriver();
        } catch (SQLException e) {
            throw new IllegalStateException("the MySQL driver cannot be created", e);
        }
    }

    public String server() {
        return server;
    }

    public List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(sql, params); ResultSet rs = statement.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            failed = true;
            throw scrub(e, params);
        }
    }

    /** The first row, or null when there is none. */
    public Map<String, Object> queryRow(String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = query(sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The first column of the first row as text ("" for SQL NULL or no row). */
    public String queryString(String sql, Object... params) throws SQLException {
        Map<String, Object> row = queryRow(sql, params);
        if (row == null || row.isEmpty()) {
            return "";
        }
        Object value = row.values().iterator().next();
        return value == null ? "" : value.toString();
    }

    public long queryLong(String sql, Object... params) throws SQLException {
        String text = queryString(sql, params);
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    public void execute(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(sql, params)) {
            statement.execute();
        } catch (SQLException e) {
            failed = true;
            throw scrub(e, params);
        }
    }

    /**
     * Runs one statement that may rightly take longer than the session's socket timeout, bounded by {@code wait}
     * instead; the socket timeout applies again afterwards.
     */
    public void executeWaiting(Duration wait, String sql, Object... params) throws SQLException {
        int socketTimeout = connection.getNetworkTimeout();
        connection.setNetworkTimeout(Runnable::run, Math.toIntExact(wait.toMillis()));
        try {
            execute(sql, params);
        } finally {
            try {
                connection.setNetworkTimeout(Runnable::run, socketTimeout);
            } catch (SQLException e) {
                // The connection broke during the statement: its own error says why, and the session is done.
            }
        }
    }

    private PreparedStatement prepare(String sql, Object[] params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }

    /** The same error without any bound string value in its message. */
    static SQLException scrub(SQLException e, Object[] params) {
        String message = String.valueOf(e.getMessage());
        for (Object param : params) {
            if (param instanceof String s && s.length() >= 4) {
                message = message.replace(s, "****");
            }
        }
        return new SQLException(message, e.getSQLState(), e.getErrorCode());
    }

    /**
     * Whether the session can serve another pass: no statement of it failed, and the server still answers a ping
     * within {@code timeout} (a server that restarted since closed the connection; a frozen one does not answer).
     */
    boolean usable(Duration timeout) {
        if (failed) {
            return false;
        }
        try {
            return connection.isValid(Math.max(1, Math.toIntExact(timeout.toSeconds())));
        } catch (SQLException e) {
            return false;
        }
    }

    /** From now on {@link #close()} hands this session to {@code pool} instead of closing it, once. */
    void returnOnClose(Consumer<SqlSession> pool) {
        this.returnTo = pool;
    }

    /** Hands a pooled session back, or closes it: a session whose statement failed is always closed. */
    @Override
    public void close() {
        Consumer<SqlSession> pool = returnTo;
        returnTo = null;
        if (pool != null && !failed) {
            pool.accept(this);
            return;
        }
        discard();
    }

    /** Closes the connection for real. */
    void discard() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection has nothing left to do
        }
    }
}
