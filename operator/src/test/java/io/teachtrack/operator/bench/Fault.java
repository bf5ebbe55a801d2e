package io.teachtrack.operator.bench;

/** The faults of benchmark B5, each injected into the primary (or its platform) under a steady write load. */
enum Fault {
    KILL("primary container killed (SIGKILL)"),
    FREEZE("primary frozen for 60 s, then resumed"),
    PARTITION("primary cut off from the replicas and the operator for 60 s"),
    DELETE("primary pod deleted"),
    SWITCHOVER("switchover requested under load"),
    ROLLOUT("database image rolled under load");

    /** How long a frozen or cut-off primary stays so before it is resumed or healed. */
    static final int HEAL_AFTER_SECONDS = 60;

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** Whether the fault lasts until the bench heals it ({@link #HEAL_AFTER_SECONDS}). */
    boolean healed() {
        return this == FREEZE || this == PARTITION;
    }
}
