package io.teachtrack.operator.replication;

/** The {@code state} values of {@code status.mysql.replicas[]}. */
public final class ReplicaStates {

    public static final String RUNNING = "Running";
    public static final String CONNECTING = "Connecting";
    public static final String STOPPED = "Stopped";
    public static final String ERROR = "Error";
    public static final String ERRANT_TRANSACTIONS = "ErrantTransactions";
    public static final String NEEDS_SEEDING = "NeedsSeeding";
    public static final String UNREACHABLE = "Unreachable";

    private ReplicaStates() {
    }
}
