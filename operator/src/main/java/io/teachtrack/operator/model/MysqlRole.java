package io.teachtrack.operator.model;

/**
 * Role of a MySQL pod, carried in the {@code teachtrack.io/role} pod label that the role Services select on. The
 * operator sets and removes it; it is part of no workload's selector, so a failover can move it.
 */
public enum MysqlRole {
    PRIMARY("primary"), REPLICA("replica");

    private final String label;

    MysqlRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
