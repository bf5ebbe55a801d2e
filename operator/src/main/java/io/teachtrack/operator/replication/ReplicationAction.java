package io.teachtrack.operator.replication;

/** One change the decision asks for on one server; the executor runs them in order. */
public sealed interface ReplicationAction {

    String pod();

    /** The recorded primary, holding every replica's transactions, may take writes. */
    record MakeWritable(String pod) implements ReplicationAction {
    }

    /** Create whichever of the app database, the app user and the replication user is missing. */
    record BootstrapApp(String pod) implements ReplicationAction {
    }

    /** Commits on the primary return only once {@code waitForReplicas} replicas have them in their relay logs. */
    record EnableSemiSync(String pod, int waitForReplicas) implements ReplicationAction {
    }

    /** No replica is wanted: commits on the primary no longer wait for acknowledgements. */
    record DisableSemiSync(String pod) implements ReplicationAction {
    }

    /**
     * A server that is not the recorded primary refuses writes: its client connections are killed (a commit waiting for
     * an acknowledgement then fails rather than returns) and it becomes super-read-only.
     */
    record Fence(String pod) implements ReplicationAction {
    }

    /** Forget a fresh server's own initialisation transactions before it replicates. */
    record ClearOwnTransactions(String pod) implements ReplicationAction {
    }

    /** (Re)point the server at the primary with GTID auto-positioning and start replicating. */
    record ReplicateFromPrimary(String pod, String primaryHost, int primaryPort, boolean wasConfigured) implements ReplicationAction {
    }

    /** Restart replication stopped by hand or by a transient error. */
    record StartReplication(String pod) implements ReplicationAction {
    }

    /** Failover fencing: the replica takes nothing more from the lost primary, so nothing more can be acknowledged there. */
    record StopReceiving(String pod) implements ReplicationAction {
    }

    /**
     * Failover: the replica applies everything it received (bounded wait), then forgets its source. It takes writes only
     * once it is the recorded primary, in a later pass.
     */
    record Promote(String pod, String receivedGtids) implements ReplicationAction {
    }

    /**
     * A requested switchover, in one pass with a deadline on every step: the primary {@code pod} refuses clients, kills
     * their sessions and becomes read-only; {@code to} applies everything it executed and forgets its source. On any
     * failure the old primary takes writes again.
     */
    record Switchover(String pod, String to) implements ReplicationAction {
    }
}
