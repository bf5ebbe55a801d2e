package io.teachtrack.operator.replication;

import io.fabric8.kubernetes.api.model.Pod;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Primary-last rolling updates of the MySQL pods (the StatefulSet's update strategy is OnDelete: the operator decides).
 * Pure. One pod at a time and only while every pod runs and replication is healthy: replicas first, highest ordinal
 * first; then a switchover to an updated replica; then the old primary, by then a replica like the others. Pods go
 * through the eviction API, so the MySQL PodDisruptionBudget is respected as well.
 */
public final class RolloutDecision {

    /** A MySQL pod as the cache shows it: its StatefulSet revision, and whether it is ready. */
    public record Member(String name, int ordinal, String revision, boolean ready) {

        /** The revision is the label the StatefulSet controller sets on the pods it creates. */
        public static Member of(Pod pod, int ordinal) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            return new Member(pod.getMetadata().getName(), ordinal, labels.getOrDefault("controller-revision-hash", ""),
                    ready && pod.getMetadata().getDeletionTimestamp() == null);
        }
    }

    /** What the rollout does in this pass. */
    public sealed interface Step {
        record UpToDate() implements Step {
        }

        record Wait(String why) implements Step {
        }

        record Evict(String pod, String why) implements Step {
        }

        record SwitchoverTo(String pod) implements Step {
        }
    }

    private RolloutDecision() {
    }

    public static Step decide(String updateRevision, List<Member> pods, int wantedPods, ReplicationPlan plan) {
        if (updateRevision == null) {
            return new Step.UpToDate();
        }
        List<Member> outdated = pods.stream().filter(p -> !updateRevision.equals(p.revision())).toList();
        if (outdated.isEmpty()) {
            return new Step.UpToDate();
        }
        String progress = (pods.size() - outdated.size()) + "/" + pods.size() + " MySQL pods updated";
        if (pods.size() < wantedPods || pods.stream().anyMatch(p -> !p.ready())) {
            return new Step.Wait(progress + "; waiting for every pod to run and be ready");
        }
        if (!"True".equals(plan.status()) || !plan.actions().isEmpty()) {
            return new Step.Wait(progress + "; waiting for healthy replication (" + plan.reason() + ")");
        }
        Optional<Member> replica = outdated.stream().filter(p -> !p.name().equals(plan.primaryPod()))
                .max(Comparator.comparingInt(Member::ordinal));
        if (replica.isPresent()) {
            return new Step.Evict(replica.get().name(), progress + "; replica " + replica.get().name() + " next");
        }
        List<String> updated = pods.stream().filter(p -> updateRevision.equals(p.revision())).map(Member::name).toList();
        Optional<String> target = plan.replicas().stream().filter(r -> ReplicaStates.RUNNING.equals(r.getState()))
                .map(ReplicaStatus::getName).filter(updated::contains).min(Comparator.naturalOrder());
        if (target.isPresent()) {
            return new Step.SwitchoverTo(target.get());
        }
        if (plan.replicas().isEmpty()) {
            return new Step.Evict(plan.primaryPod(), progress + "; no replica to hand the primary to: the primary restarts, writes pause");
        }
        return new Step.Wait(progress + "; the primary is last, once an updated replica runs");
    }
}
