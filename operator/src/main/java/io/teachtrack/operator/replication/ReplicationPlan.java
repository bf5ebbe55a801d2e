package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.mysql.SemiSync;

import java.util.List;
import java.util.Map;

/**
 * What the decision wants done, and what to report. {@code labels} holds only the pods whose role label must change
 * (the value null removes it), so a healthy cluster gets an empty plan: no statement, no patch.
 *
 * @param primaryPod       the primary the plan is for (it goes to {@code status.mysql.primary})
 * @param appDatabaseReady the app database and users exist on a writable primary: the API and workers may run
 * @param semiSync         the primary's semi-synchronous replication as observed (OFF when it was not reached)
 * @param promotion        the failover this plan carries out, or null
 * @param watchClosely     the primary is lost or being replaced: the next pass should come soon
 * @param switchover       what became of a requested switchover in this pass, or null when none was requested
 */
public record ReplicationPlan(String primaryPod, List<ReplicationAction> actions, Map<String, String> labels,
                              List<ReplicaStatus> replicas, String status, String reason, String message,
                              boolean appDatabaseReady, SemiSync semiSync, Promotion promotion, boolean watchClosely,
                              Switchover switchover) {

    public ReplicationPlan(String primaryPod, List<ReplicationAction> actions, Map<String, String> labels, List<ReplicaStatus> replicas,
                           String status, String reason, String message, boolean appDatabaseReady, SemiSync semiSync,
                           Promotion promotion, boolean watchClosely) {
        this(primaryPod, actions, labels, replicas, status, reason, message, appDatabaseReady, semiSync, promotion, watchClosely, null);
    }

    /** A requested switchover: {@code result} is Attempted (the executor decides), or Rejected with {@code message}. */
    public record Switchover(String from, String to, String result, String message) {
        public static final String ATTEMPTED = "Attempted";
        public static final String COMPLETED = "Completed";
        public static final String FAILED = "Failed";
        public static final String REJECTED = "Rejected";
    }

    /** A failover: {@code to} replaces the lost primary {@code from}. */
    public record Promotion(String from, String to, String reason) {
    }
}
