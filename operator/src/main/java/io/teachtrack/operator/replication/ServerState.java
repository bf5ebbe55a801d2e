package io.teachtrack.operator.replication;

import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.mysql.SemiSync;

import java.util.Set;

/**
 * One MySQL server as one observation found it. Everything the decision needs is here, so it runs without a server.
 *
 * @param host           where the operator and the other servers reach it (the pod's DNS name, or its IP)
 * @param blank          holds nothing but what the server wrote while initialising itself (no user schema)
 * @param appReady       the app database and both users exist (only looked at on the primary)
 * @param aheadOfPrimary GTIDs this server executed that the primary has not ("" when none, or not known)
 * @param missingPurged  GTIDs this server lacks that the primary has purged from its binary logs ("" when none)
 * @param roleLabel      the pod's {@code teachtrack.io/role} label now, or null
 * @param semiSync       its semi-synchronous replication as a source
 * @param covers         while the primary is lost: the other servers whose executed and received GTIDs this one holds
 */
public record ServerState(String pod, int ordinal, String host, int port, boolean reachable, String error, boolean readOnly,
                          boolean blank, boolean appReady, ReplicaState replication, String aheadOfPrimary,
                          String missingPurged, String roleLabel, SemiSync semiSync, Set<String> covers) {

    /** A server the operator could not reach: nothing else about it is known. */
    public static ServerState unreachable(String pod, int ordinal, String host, int port, String error, String roleLabel) {
        return new ServerState(pod, ordinal, host, port, false, error, true, false, false, ReplicaState.NOT_CONFIGURED, "", "",
                roleLabel, SemiSync.OFF, Set.of());
    }

    /**
     * The server answered but refused the operator's root password: it is alive (never a reason to fail over), and the
     * Secret's root password is not the one it has.
     */
    public boolean refusedCredentials() {
        return !reachable && error != null && error.startsWith("Access denied for user");
    }
}
