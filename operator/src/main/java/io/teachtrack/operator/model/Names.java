package io.teachtrack.operator.model;

import io.teachtrack.operator.api.v1alpha1.TeachTrack;

/** Names of everything the operator creates for a TeachTrack {@code <n>} (DESIGN.md §4). */
public final class Names {

    public static final String APP_DATABASE = "teachtrack";
    public static final String APP_USER = "teachtrack";
    public static final int MYSQL_PORT = 3306;
    public static final int REDIS_PORT = 6379;
    public static final int API_PORT = 8080;

    private Names() {
    }

    public static String credentials(TeachTrack tt) { return tt.getMetadata().getName() + "-credentials"; }
    public static String mysqlConfig(TeachTrack tt) { return tt.getMetadata().getName() + "-mysql-config"; }
    /** The MySQL StatefulSet, its headless Service, its PodDisruptionBudget and the NetworkPolicy guarding it. */
    public static String mysql(TeachTrack tt) { return tt.getMetadata().getName() + "-mysql"; }
    /** Service selecting the pod labelled primary (writes). */
    public static String mysqlPrimary(TeachTrack tt) { return tt.getMetadata().getName() + "-mysql-primary"; }
    /** Headless Service selecting the pods labelled replica (reads). */
    public static String mysqlReplicas(TeachTrack tt) { return tt.getMetadata().getName() + "-mysql-replicas"; }
    public static String redis(TeachTrack tt) { return tt.getMetadata().getName() + "-redis"; }
    public static String api(TeachTrack tt) { return tt.getMetadata().getName() + "-api"; }
    public static String worker(TeachTrack tt) { return tt.getMetadata().getName() + "-worker"; }

    /** The MySQL pod of one ordinal; which one is primary is recorded in {@code status.mysql.primary}. */
    public static String mysqlPod(TeachTrack tt, int ordinal) { return mysql(tt) + "-" + ordinal; }

    /** In-cluster DNS name of a Service in the TeachTrack's namespace. */
    public static String serviceHost(TeachTrack tt, String service) {
        return service + "." + tt.getMetadata().getNamespace() + ".svc";
    }

    /** In-cluster DNS name of a MySQL pod through the headless Service. */
    public static String mysqlPodHost(TeachTrack tt, String pod) {
        return pod + "." + mysql(tt) + "." + tt.getMetadata().getNamespace() + ".svc";
    }
}
