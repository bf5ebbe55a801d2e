package io.teachtrack.operator.model;

import io.teachtrack.operator.api.v1alpha1.TeachTrack;

/**
 * The MySQL servers of a TeachTrack: pods {@code <n>-mysql-0 … <n>-mysql-k} of one StatefulSet. The primary is
 * whichever the operator recorded in {@code status.mysql.primary} (pod 0 for a new TeachTrack); the others replicate.
 */
public final class MysqlMembers {

    private MysqlMembers() {
    }

    /** The recorded primary's ordinal, or 0 when none is recorded (or the record names no pod of this TeachTrack). */
    public static int primaryOrdinal(TeachTrack tt) {
        return primaryOrdinal(tt, null);
    }

    /**
     * The recorded primary's ordinal; before the TeachTrack has one (re-created on kept volumes), {@code kept}, the
     * primary the credentials Secret kept; else 0.
     */
    public static int primaryOrdinal(TeachTrack tt, String kept) {
        String recorded = tt.getStatus() == null || tt.getStatus().getMysql() == null ? null : tt.getStatus().getMysql().getPrimary();
        if (recorded == null) {
            recorded = kept;
        }
        String prefix = Names.mysql(tt) + "-";
        if (recorded == null || !recorded.startsWith(prefix)) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(recorded.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static String primaryPod(TeachTrack tt) {
        return Names.mysqlPod(tt, primaryOrdinal(tt));
    }

    /**
     * How many pods the StatefulSet runs: the primary and {@code spec.mysql.replicas} replicas, but never so few that the
     * primary's pod would go (a StatefulSet removes the highest ordinals first).
     */
    public static int count(TeachTrack tt) {
        return Math.max(1 + tt.getSpec().getMysql().getReplicas(), primaryOrdinal(tt) + 1);
    }
}
