package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.mysql.SessionPool;
import io.teachtrack.testkit.DatabaseServer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drives real database servers exactly as a reconcile drives the pods: observe every server, decide, act, with the
 * step's own timeouts. Keeps what the operator keeps between passes: the pods' role labels, the recorded primary, the
 * last failover and the replicas found errant, and the sessions of the previous pass.
 */
final class ReplicationHarness implements AutoCloseable {

    private final Dialect dialect;
    private final DatabaseCredentials credentials;
    private final ServerObserver observer;
    private final ReplicationExecutor executor;
    private final boolean failoverEnabled;
    private final Duration failoverAfter;
    private final PrimaryLoss primaryLoss = new PrimaryLoss(Clock.systemUTC());
    private final SessionPool sessions = JdbcReplicationStep.sessionPool(Duration.ofHours(1));
    private final Map<String, String> labels = new HashMap<>();
    private int primaryOrdinal;
    private String formerPrimary;
    private Set<String> knownErrant = Set.of();
    private final List<String> fencingFailures = new ArrayList<>();
    private String switchoverTo;
    private String switchoverResult;

    ReplicationHarness(Dialect dialect, DatabaseCredentials credentials, boolean failoverEnabled, Duration failoverAfter) {
        this.dialect = dialect;
        this.credentials = credentials;
        this.observer = new ServerObserver(dialect);
        this.executor = new ReplicationExecutor(dialect, credentials);
        this.failoverEnabled = failoverEnabled;
        this.failoverAfter = failoverAfter;
    }

    /** One pass over the servers ({@code servers} holds every pod, the primary among them); every statement must succeed. */
    synchronized ReplicationPlan pass(List<DatabaseServer> servers) {
        return pass(servers, () -> {
        });
    }

    /** Something a test does after the pass decided and before it acts, to force an interleaving. */
    @FunctionalInterface
    interface Interleaving {
        void run() throws Exception;
    }

    /** One pass, with {@code beforeActing} run between the decision and the plan's statements. */
    synchronized ReplicationPlan pass(List<DatabaseServer> servers, Interleaving beforeActing) {
        List<ServerObserver.Member> members = new ArrayList<>();
        for (DatabaseServer server : servers) {
            members.add(new ServerObserver.Member(server.name(), ordinal(server), server.host(), server.port(), labels.get(server.name())));
        }
        int replicas = servers.size() - 1;
        int semiSyncWait = SemiSync.required(replicas, dialect);
        ClusterState.Failover failover = new ClusterState.Failover(failoverEnabled, failoverAfter, Duration.ZERO, formerPrimary, knownErrant);
        try (SessionPool.Pass sessionsOfPass = sessions.pass("harness");
             ServerObserver.Observed observed = observer.observe(members, primaryOrdinal, replicas, 2, semiSyncWait, failover,
                     (host, port) -> sessionsOfPass.open(host, port, DatabaseCredentials.ROOT_USER, credentials.rootPassword()))) {
            ServerState primary = observed.cluster().primary();
            ReplicationPlan plan = ReplicationDecision.decide(observed.cluster().withPrimaryLostFor(
                    primaryLoss.lostFor("mysql-" + primaryOrdinal, primary == null || !primary.reachable())).withSwitchoverTo(switchoverTo));
            try {
                beforeActing.run();
            } catch (Exception e) {
                throw new IllegalStateException("the test's interleaving failed", e);
            }
            ReplicationExecutor.Outcome outcome = executor.execute(plan, observed, (pod, role) -> {
                if (role == null) {
                    labels.remove(pod);
                } else {
                    labels.put(pod, role);
                }
            });
            // What the step records, decided by the step's own report: the primary after this pass, a failover, a
            // switchover's result.
            ReplicationReport report = JdbcReplicationStep.report(plan, outcome, 2, semiSyncWait);
            primaryOrdinal = Integer.parseInt(report.primaryPod().substring(report.primaryPod().lastIndexOf('-') + 1));
            if (report.promotion() != null) {
                formerPrimary = report.promotion().from();
            }
            knownErrant = plan.replicas().stream().filter(r -> ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState()))
                    .map(ReplicaStatus::getName).collect(Collectors.toSet());
            plan.actions().stream().filter(a -> a instanceof ReplicationAction.StopReceiving && outcome.failedPods().contains(a.pod()))
                    .forEach(a -> fencingFailures.add(a.pod()));
            if (report.switchover() != null) {
                switchoverTo = null;
                switchoverResult = report.switchover().result();
                return plan;
            }
            if (!outcome.failures().isEmpty()) {
                throw new IllegalStateException("statements of the plan failed: " + outcome.failures());
            }
            return plan;
        }
    }

    /** Requests a switchover to {@code pod}: the next pass answers it. */
    synchronized void requestSwitchover(String pod) {
        switchoverTo = pod;
        switchoverResult = null;
    }

    /** Completed, Failed or Rejected once a pass answered the request; null before. */
    synchronized String switchoverResult() {
        return switchoverResult;
    }

    /** The replicas that failed to stop receiving in a failover's fencing, one entry per failed attempt. */
    synchronized List<String> fencingFailures() {
        return List.copyOf(fencingFailures);
    }

    /** Sessions opened and sessions taken over from the previous pass, since the harness started. */
    long sessionsOpened() {
        return sessions.opened();
    }

    long sessionsReused() {
        return sessions.reused();
    }

    @Override
    public void close() {
        sessions.close();
    }

    Map<String, String> labels() {
        return labels;
    }

    int primaryOrdinal() {
        return primaryOrdinal;
    }

    static int ordinal(DatabaseServer server) {
        return Integer.parseInt(server.name().substring(server.name().lastIndexOf('-') + 1));
    }
}
