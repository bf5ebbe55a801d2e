package io.teachtrack.operator.model;

/** Role of a MySQL pod, carried in the teachtrack.io/role label that the role Services select on. */
public enum MysqlRole {
    PRIMARY("primary", 1), REPLICA("replica", 100);

    private final String label;
    private final int serverIdBase;

    MysqlRole(String label, int serverIdBase) {
        this.label = label;
        this.serverIdBase = serverIdBase;
    }

    public String label() {
        return label;
    }

    /** server_id = base + pod ordinal: the primary is 1, replica n is 100 + n. */
    public int serverIdBase() {
        return serverIdBase;
    }
}
