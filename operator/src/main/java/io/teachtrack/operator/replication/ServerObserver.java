package io.teachtrack.operator.replication;

import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.mysql.SqlSession;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Observes every MySQL server of a TeachTrack in one pass, read-only: the sessions it opens stay open for the
 * {@link ReplicationExecutor}, which acts on the same servers. Comparisons of GTID sets run on the primary (MySQL's
 * GTID_SUBTRACT) or in Java (MariaDB), through the dialect.
 */
public final class ServerObserver {

    /** A MySQL pod to observe. */
    public record Member(String pod, int ordinal, String host, int port, String roleLabel) {
    }

    /** Opens a root session to one server. */
    @FunctionalInterface
    public interface Connector {
        SqlSession open(String host, int port) throws SQLException;
    }

    /** The observation and the sessions it holds open. */
    public static final class Observed implements AutoCloseable {
        private final ClusterState cluster;
        private final Map<String, SqlSession> sessions;

        Observed(ClusterState cluster, Map<String, SqlSession> sessions) {
            this.cluster = cluster;
            this.sessions = sessions;
        }

        public ClusterState cluster() {
            return cluster;
        }

        SqlSession session(String pod) {
            SqlSession session = sessions.get(pod);
            if (session == null) {
                throw new IllegalStateException("no session to " + pod);
            }
            return session;
        }

        @Override
        public void close() {
            sessions.values().forEach(SqlSession::close);
        }
    }

    private final Dialect dialect;

    public ServerObserver(Dialect dialect) {
        this.dialect = dialect;
    }

    public Observed observe(List<Member> members, int primaryOrdinal, int wantedReplicas, long maxLagSeconds, Connector connector) {
        Map<String, SqlSession> sessions = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Member member : members) {
            try {
                sessions.put(member.pod(), connector.open(member.host(), member.port()));
            } catch (SQLException | RuntimeException e) {
                errors.put(member.pod(), e.getMessage());
            }
        }
        Member primary = members.stream().filter(m -> m.ordinal() == primaryOrdinal).findFirst().orElse(null);
        SqlSession primarySession = primary == null ? null : sessions.get(primary.pod());
        String primaryGtids = null;
        String primaryPurged = "";
        if (primarySession != null) {
            try {
                primaryGtids = primarySession.queryString(dialect.executedGtids());
                primaryPurged = dialect.purgedGtids(primarySession);
            } catch (SQLException e) {
                errors.put(primary.pod(), e.getMessage());
                sessions.remove(primary.pod()).close();
                primarySession = null;
            }
        }
        List<ServerState> servers = new ArrayList<>();
        for (Member member : members) {
            SqlSession session = sessions.get(member.pod());
            if (session == null) {
                servers.add(ServerState.unreachable(member.pod(), member.ordinal(), member.host(), member.port(),
                        errors.get(member.pod()), member.roleLabel()));
                continue;
            }
            try {
                servers.add(observe(member, session, member.ordinal() == primaryOrdinal, primarySession, primaryGtids, primaryPurged));
            } catch (SQLException e) {
                sessions.remove(member.pod()).close();
                servers.add(ServerState.unreachable(member.pod(), member.ordinal(), member.host(), member.port(), e.getMessage(),
                        member.roleLabel()));
            }
        }
        return new Observed(new ClusterState(primaryOrdinal, servers, wantedReplicas, maxLagSeconds), sessions);
    }

    private ServerState observe(Member member, SqlSession session, boolean isPrimary, SqlSession primary, String primaryGtids,
                                String primaryPurged) throws SQLException {
        boolean readOnly = session.queryLong(dialect.readOnlyQuery()) != 0;
        String gtids = session.queryString(dialect.executedGtids());
        ReplicaState replication = dialect.parseReplicaStatus(session.queryRow(dialect.replicaStatus()));
        boolean blank = dialect.onlyOwnTransactions(session, gtids) && !hasUserSchemas(session);
        String ahead = "";
        String missingPurged = "";
        if (!isPrimary && primary != null) {
            ahead = dialect.subtract(primary, gtids, primaryGtids);
            if (!replication.configured()) {
                missingPurged = dialect.subtract(primary, primaryPurged, gtids);
            }
        }
        boolean appReady = isPrimary && appReady(session);
        return new ServerState(member.pod(), member.ordinal(), member.host(), member.port(), true, null, readOnly, blank, appReady,
                replication, ahead, missingPurged, member.roleLabel());
    }

    private static boolean appReady(SqlSession server) throws SQLException {
        return server.queryLong("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", Names.APP_DATABASE) > 0
                && server.queryLong("SELECT COUNT(*) FROM mysql.user WHERE Host = '%' AND User IN (?, ?)", Names.APP_USER,
                        DatabaseCredentials.REPLICATION_USER) == 2;
    }

    private static boolean hasUserSchemas(SqlSession server) throws SQLException {
        return server.queryLong("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                + " WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')") > 0;
    }
}
