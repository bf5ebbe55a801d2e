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

    record MakeReadOnly(String pod) implements ReplicationAction {
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
}
