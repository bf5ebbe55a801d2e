package io.teachtrack.operator.replication;

import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.mysql.SqlSession;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    public Observed observe(List<Member> members, int primaryOrdinal, int wantedReplicas, long maxLagSeconds, int semiSyncWait,
                            ClusterState.Failover failover, Connector connector) {
        Map<String, SqlSession> sessions = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Member member : members) {
            try {
                sessions.put(member.pod(), connector.open(member.host(), member.port()));
            } catch (SQLException | RuntimeException e) {
                errors.put(member.pod(), e.getMessage());
            }
        }
        // The replicas first, the primary last: a transaction the primary commits while the servers are read reaches a
        // replica only after the primary has it, so a replica read earlier can never look ahead of the primary (read
        // the other way round, a busy primary's newest writes made replicas look errant).
        Member primary = members.stream().filter(m -> m.ordinal() == primaryOrdinal).findFirst().orElse(null);
        List<Member> replicasThenPrimary = new ArrayList<>(members.stream().filter(m -> m != primary).toList());
        if (primary != null) {
            replicasThenPrimary.add(primary);
        }
        Map<String, Local> locals = new LinkedHashMap<>();
        for (Member member : replicasThenPrimary) {
            SqlSession session = sessions.get(member.pod());
            if (session == null) {
                continue;
            }
            try {
                locals.put(member.pod(), local(session, member == primary));
            } catch (SQLException e) {
                errors.put(member.pod(), e.getMessage());
                sessions.remove(member.pod()).close();
            }
        }
        Map<String, Comparison> comparisons = compareWithPrimary(members, primary, locals, sessions, errors);
        Map<String, Set<String>> covers = primary != null && locals.containsKey(primary.pod()) ? Map.of() : coverage(locals, sessions);
        List<ServerState> servers = new ArrayList<>();
        for (Member member : members) {
            Local local = locals.get(member.pod());
            if (local == null) {
                servers.add(ServerState.unreachable(member.pod(), member.ordinal(), member.host(), member.port(),
                        errors.get(member.pod()), member.roleLabel()));
                continue;
            }
            Comparison comparison = comparisons.getOrDefault(member.pod(), Comparison.NONE);
            servers.add(new ServerState(member.pod(), member.ordinal(), member.host(), member.port(), true, null, local.readOnly(),
                    local.blank(), local.appReady(), local.replication(), comparison.ahead(), comparison.missingPurged(),
                    member.roleLabel(), local.semiSync(), covers.getOrDefault(member.pod(), Set.of())));
        }
        return new Observed(new ClusterState(primaryOrdinal, servers, wantedReplicas, maxLagSeconds, semiSyncWait, failover), sessions);
    }

    /** What one server says about itself, read in one go. */
    private record Local(boolean readOnly, String gtids, String purged, ReplicaState replication, boolean blank, boolean appReady,
                         SemiSync semiSync) {

        /** Executed and received GTIDs: everything the server has or is about to apply. */
        String allGtids() {
            return Stream.of(gtids, replication.receivedGtids()).filter(g -> !g.isBlank()).collect(Collectors.joining(","));
        }
    }

    /** A replica against the primary: the transactions only the replica has, and those it needs that were purged. */
    private record Comparison(String ahead, String missingPurged) {
        static final Comparison NONE = new Comparison("", "");
    }

    private Local local(SqlSession session, boolean isPrimary) throws SQLException {
        boolean readOnly = session.queryLong(dialect.readOnlyQuery()) != 0;
        ReplicaState replication = dialect.parseReplicaStatus(session.queryRow(dialect.replicaStatus()));
        String gtids = session.queryString(dialect.executedGtids());
        String purged = isPrimary ? dialect.purgedGtids(session) : "";
        boolean blank = dialect.onlyOwnTransactions(session, gtids) && !hasUserSchemas(session);
        return new Local(readOnly, gtids, purged, replication, blank, isPrimary && appReady(session), dialect.semiSync(session));
    }

    /**
     * While the primary is lost: for each server, the others whose executed and received GTIDs it holds. Compared on the
     * holder's own session (MySQL's GTID functions are pure); a pair that cannot be compared counts as not held.
     */
    private Map<String, Set<String>> coverage(Map<String, Local> locals, Map<String, SqlSession> sessions) {
        Map<String, Set<String>> covers = new HashMap<>();
        for (Map.Entry<String, Local> holder : locals.entrySet()) {
            Set<String> held = new TreeSet<>();
            for (Map.Entry<String, Local> other : locals.entrySet()) {
                if (other.getKey().equals(holder.getKey())) {
                    continue;
                }
                try {
                    if (dialect.subtract(sessions.get(holder.getKey()), other.getValue().allGtids(), holder.getValue().allGtids()).isEmpty()) {
                        held.add(other.getKey());
                    }
                } catch (SQLException e) {
                    // Not comparable now: the decision then finds no server that holds everything, and waits.
                }
            }
            covers.put(holder.getKey(), Set.copyOf(held));
        }
        return covers;
    }

    /** Runs on the primary (MySQL's GTID_SUBTRACT); when that fails, the primary is what went away: it is unreachable. */
    private Map<String, Comparison> compareWithPrimary(List<Member> members, Member primary, Map<String, Local> locals,
                                                       Map<String, SqlSession> sessions, Map<String, String> errors) {
        Local primaryLocal = primary == null ? null : locals.get(primary.pod());
        if (primaryLocal == null) {
            return Map.of();
        }
        SqlSession on = sessions.get(primary.pod());
        Map<String, Comparison> comparisons = new HashMap<>();
        try {
            for (Member member : members) {
                Local local = locals.get(member.pod());
                if (member == primary || local == null) {
                    continue;
                }
                String ahead = dialect.subtract(on, local.gtids(), primaryLocal.gtids());
                if (!ahead.isEmpty() && !primaryLocal.readOnly()) {
                    // In flight, not errant: the primary's own commits that reached the replica before its executed set.
                    // Only while it takes writes: a read-only primary is compared strictly (an empty primary keeps
                    // its server id, so its old transactions on the replicas must count as ahead).
                    ahead = dialect.withoutOwnTransactions(on, ahead);
                }
                String missingPurged = local.replication().configured() ? "" : dialect.subtract(on, primaryLocal.purged(), local.gtids());
                comparisons.put(member.pod(), new Comparison(ahead, missingPurged));
            }
            return comparisons;
        } catch (SQLException e) {
            errors.put(primary.pod(), e.getMessage());
            locals.remove(primary.pod());
            sessions.remove(primary.pod()).close();
            return Map.of();
        }
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
