package io.teachtrack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.api.v1alpha1.EndpointsStatus;
import io.teachtrack.operator.api.v1alpha1.FailoverStatus;
import io.teachtrack.operator.api.v1alpha1.MysqlStatus;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.RedisStatus;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.SwitchoverStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import io.teachtrack.operator.api.v1alpha1.WorkloadStatus;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlMembers;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.replication.ReplicationPlan;
import io.teachtrack.operator.replication.ReplicationReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.teachtrack.operator.status.ConditionTypes.*;

/**
 * Owns the TeachTrack's status: turns one {@link Observation} into conditions, phase, counts and endpoints.
 * Pure: the same TeachTrack, observation and clock give the same status, so a reconcile that finds nothing new
 * produces a status equal to the current one and writes nothing.
 */
public final class StatusAggregator {

    private static final int MAX_ERROR_LENGTH = 300;

    public TeachTrackStatus aggregate(TeachTrack tt, Observation seen, Instant now) {
        TeachTrackStatus previous = tt.getStatus();
        Long generation = tt.getMetadata().getGeneration();

        List<Condition> components = List.of(
                database(seen, tt, generation),
                replication(seen, generation),
                cache(seen, tt, generation),
                workload(API_READY, "API", seen.api(), seen.mysql() != null, generation),
                workload(WORKERS_READY, "worker", seen.worker(), seen.mysql() != null, generation));
        Optional<Condition> blocking = components.stream().filter(c -> !satisfied(c)).findFirst();
        boolean ready = blocking.isEmpty() && seen.reconcileError() == null;
        boolean wasReady = previous != null && (previous.getPhase() == Phase.Ready || previous.getPhase() == Phase.Degraded);

        Phase phase;
        Condition degraded;
        if (seen.reconcileError() != null) {
            phase = wasReady ? Phase.Degraded : Phase.Failed;
            degraded = Conditions.of(DEGRADED, TRUE, "ReconcileError", truncate(seen.reconcileError()), generation);
        } else if (!ready && wasReady) {
            phase = Phase.Degraded;
            degraded = Conditions.of(DEGRADED, TRUE, blocking.get().getReason(),
                    blocking.get().getType() + ": " + blocking.get().getMessage(), generation);
        } else {
            phase = ready ? Phase.Ready : Phase.Provisioning;
            degraded = Conditions.of(DEGRADED, FALSE, "AsExpected", "No component is failing", generation);
        }
        Condition readyCondition = ready
                ? Conditions.of(READY, TRUE, "AllComponentsReady", "Database, cache, API and workers are ready", generation)
                : Conditions.of(READY, FALSE, blocking.map(Condition::getReason).orElse("ReconcileError"),
                        blocking.map(c -> c.getType() + ": " + c.getMessage()).orElse(truncate(seen.reconcileError())), generation);
        Condition progressing = ready || phase == Phase.Degraded || phase == Phase.Failed
                ? Conditions.of(PROGRESSING, FALSE, ready ? "ReconciliationComplete" : "Stalled",
                        ready ? "The platform matches the spec" : "Waiting for a failing component to recover", generation)
                : Conditions.of(PROGRESSING, TRUE, "Provisioning",
                        "Waiting for " + blocking.map(Condition::getType).orElse("the next reconciliation"), generation);

        List<Condition> fresh = new ArrayList<>(List.of(readyCondition, progressing, degraded));
        fresh.addAll(components);
        fresh.add(volumes(seen, tt, generation));

        TeachTrackStatus status = new TeachTrackStatus();
        status.setObservedGeneration(generation);
        status.setPhase(phase);
        status.setConditions(Conditions.merge(previous == null ? List.of() : previous.getConditions(), fresh, now));
        status.setApi(workloadStatus(seen.api()));
        status.setWorkers(workloadStatus(seen.worker()));
        status.setMysql(mysqlStatus(tt, seen, now));
        if (Boolean.TRUE.equals(tt.getSpec().getApi().getCache().getEnabled())) {
            RedisStatus redis = new RedisStatus();
            redis.setReady(WorkloadReadiness.rolledOut(seen.redis()));
            status.setRedis(redis);
        }
        status.setEndpoints(endpoints(tt));
        return status;
    }

    private static Condition volumes(Observation seen, TeachTrack tt, Long generation) {
        if (seen.volumeResizeRefused() != null) {
            return Conditions.of(VOLUMES_READY, FALSE, "ExpansionRefused", seen.volumeResizeRefused()
                    + " (the StorageClass must allow volume expansion); everything else is reconciled meanwhile", generation);
        }
        return Conditions.of(VOLUMES_READY, TRUE, "SizeApplied", "MySQL volumes are requested at "
                + tt.getSpec().getMysql().getStorage().getSize() + " or grow to it", generation);
    }

    /** A component blocks Ready unless its condition is True. */
    private static boolean satisfied(Condition c) {
        return TRUE.equals(c.getStatus());
    }

    private static Condition database(Observation seen, TeachTrack tt, Long generation) {
        if (seen.mysql() == null) {
            return Conditions.of(DATABASE_READY, FALSE, "MysqlMissing", "StatefulSet " + Names.mysql(tt) + " does not exist yet", generation);
        }
        ReplicationReport report = seen.replication();
        String primary = primaryPod(tt, report);
        if (report != null && report.appDatabaseReady()) {
            return Conditions.of(DATABASE_READY, TRUE, "PrimaryReady", "MySQL primary " + primary + " takes writes", generation);
        }
        if (report != null && report.primaryProblem()) {
            return Conditions.of(DATABASE_READY, FALSE, report.reason(), report.message(), generation);
        }
        return Conditions.of(DATABASE_READY, FALSE, "PrimaryNotReady", "MySQL primary " + primary + " is not ready", generation);
    }

    private static String primaryPod(TeachTrack tt, ReplicationReport report) {
        return report != null && report.primaryPod() != null ? report.primaryPod() : MysqlMembers.primaryPod(tt);
    }

    private static Condition replication(Observation seen, Long generation) {
        ReplicationReport report = seen.replication();
        if (report == null) {
            return Conditions.of(REPLICATION_READY, UNKNOWN, "WaitingForPrimary", "Replication starts once the primary is ready", generation);
        }
        return Conditions.of(REPLICATION_READY, report.status(), report.reason(), report.message(), generation);
    }

    private static Condition cache(Observation seen, TeachTrack tt, Long generation) {
        if (!Boolean.TRUE.equals(tt.getSpec().getApi().getCache().getEnabled())) {
            return Conditions.of(CACHE_READY, TRUE, "CacheDisabled", "spec.api.cache.enabled is false: the API reads from MySQL only", generation);
        }
        if (seen.redis() == null) {
            return Conditions.of(CACHE_READY, FALSE, "RedisMissing", "Deployment " + Names.redis(tt) + " does not exist yet", generation);
        }
        if (WorkloadReadiness.rolledOut(seen.redis())) {
            return Conditions.of(CACHE_READY, TRUE, "RedisReady", "Redis " + Names.redis(tt) + " is ready", generation);
        }
        return Conditions.of(CACHE_READY, FALSE, "RedisNotReady", "Redis " + Names.redis(tt) + " has no ready pod", generation);
    }

    private static Condition workload(String type, String what, Deployment deployment, boolean databaseExists, Long generation) {
        if (deployment == null) {
            return Conditions.of(type, FALSE, "WaitingForDatabase",
                    "The " + what + " Deployment is created once the database is ready" + (databaseExists ? "" : " (no database yet)"), generation);
        }
        int ready = WorkloadReadiness.ready(deployment);
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        String counts = ready + "/" + wanted + " " + what + " pods ready";
        if (WorkloadReadiness.rolledOut(deployment)) {
            return Conditions.of(type, TRUE, "AllPodsReady", counts, generation);
        }
        return Conditions.of(type, FALSE, ready == 0 ? "NoPodsReady" : "RolloutInProgress", counts, generation);
    }

    private static WorkloadStatus workloadStatus(Deployment deployment) {
        return deployment == null ? null
                : new WorkloadStatus(WorkloadReadiness.wanted(deployment), WorkloadReadiness.ready(deployment));
    }

    private static MysqlStatus mysqlStatus(TeachTrack tt, Observation seen, Instant now) {
        MysqlStatus mysql = new MysqlStatus();
        ReplicationReport report = seen.replication();
        if (seen.mysql() != null) {
            String primary = primaryPod(tt, report);
            mysql.setPrimary(primary);
            mysql.setPrimaryOrdinal(Integer.parseInt(primary.substring(primary.lastIndexOf('-') + 1)));
        }
        boolean observed = report != null;
        MysqlStatus before = tt.getStatus() == null ? null : tt.getStatus().getMysql();
        if (observed && report.promotion() != null) {
            ReplicationPlan.Promotion promotion = report.promotion();
            mysql.setLastFailover(new FailoverStatus(now.toString(), promotion.from(), promotion.to(), promotion.reason()));
        } else if (before != null) {
            mysql.setLastFailover(before.getLastFailover());
        }
        mysql.setLastSwitchover(lastSwitchover(tt, observed ? report.switchover() : null, before, now));
        if (observed) {
            mysql.setSemiSync(report.semiSync() != null ? report.semiSync() : before == null ? null : before.getSemiSync());
        }
        mysql.setReadyReplicas(observed && report.readyReplicas() != null ? report.readyReplicas()
                : Math.max(0, WorkloadReadiness.ready(seen.mysql()) - 1));
        if (observed) {
            long budget = tt.getSpec().getApi().getReadSplit().getMaxReplicaLagSeconds();
            List<ReplicaStatus> replicas = report.replicas().stream().map(r -> steadyLag(r, previousReplica(tt, r.getName()), budget)).toList();
            mysql.setReplicas(new ArrayList<>(replicas));
            mysql.setMaxLagSeconds(replicas.stream().map(ReplicaStatus::getLagSeconds).filter(Objects::nonNull).max(Long::compare)
                    .orElse(report.maxLagSeconds()));
        }
        return mysql;
    }

    /**
     * A switchover answered in this pass is recorded with the annotation value it answers; once the annotation is gone
     * the record forgets that value, so the same value can be requested again.
     */
    private static SwitchoverStatus lastSwitchover(TeachTrack tt, ReplicationPlan.Switchover answered, MysqlStatus before, Instant now) {
        String requested = tt.getMetadata().getAnnotations() == null ? null : tt.getMetadata().getAnnotations().get(Labels.SWITCHOVER_ANNOTATION);
        if (answered != null) {
            SwitchoverStatus record = new SwitchoverStatus();
            record.setRequest(requested);
            record.setTime(now.toString());
            record.setFrom(answered.from());
            record.setTo(answered.to());
            record.setResult(answered.result());
            record.setMessage(answered.message());
            return record;
        }
        SwitchoverStatus previous = before == null ? null : before.getLastSwitchover();
        if (previous != null && previous.getRequest() != null && !previous.getRequest().equals(requested)) {
            SwitchoverStatus forgotten = Serialization.clone(previous);
            forgotten.setRequest(null);
            return forgotten;
        }
        return previous;
    }

    /**
     * A replica's lag jitters between 0 and 1 s under a steady stream of heartbeats (the servers count whole seconds):
     * within the budget, a change of one second keeps the value already in status, so a healthy platform's status is
     * not rewritten every few seconds.
     */
    static ReplicaStatus steadyLag(ReplicaStatus now, ReplicaStatus before, long budget) {
        if (before == null || before.getLagSeconds() == null || now.getLagSeconds() == null
                || Math.abs(now.getLagSeconds() - before.getLagSeconds()) > 1
                || now.getLagSeconds() > budget || before.getLagSeconds() > budget) {
            return now;
        }
        ReplicaStatus steady = Serialization.clone(now);
        steady.setLagSeconds(before.getLagSeconds());
        return steady;
    }

    private static ReplicaStatus previousReplica(TeachTrack tt, String name) {
        if (tt.getStatus() == null || tt.getStatus().getMysql() == null || tt.getStatus().getMysql().getReplicas() == null) {
            return null;
        }
        return tt.getStatus().getMysql().getReplicas().stream().filter(r -> name.equals(r.getName())).findFirst().orElse(null);
    }

    private static EndpointsStatus endpoints(TeachTrack tt) {
        EndpointsStatus endpoints = new EndpointsStatus();
        endpoints.setApi(Names.serviceHost(tt, Names.api(tt)) + ":" + Names.API_PORT);
        endpoints.setMysqlPrimary(Names.serviceHost(tt, Names.mysqlPrimary(tt)) + ":" + Names.MYSQL_PORT);
        if (tt.getSpec().getMysql().getReplicas() > 0) {
            endpoints.setMysqlReplicas(Names.serviceHost(tt, Names.mysqlReplicas(tt)) + ":" + Names.MYSQL_PORT);
        }
        if (Boolean.TRUE.equals(tt.getSpec().getApi().getCache().getEnabled())) {
            endpoints.setRedis(Names.serviceHost(tt, Names.redis(tt)) + ":" + Names.REDIS_PORT);
        }
        return endpoints;
    }

    private static String truncate(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
