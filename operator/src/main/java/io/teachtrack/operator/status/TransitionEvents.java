package io.teachtrack.operator.status;

import io.teachtrack.operator.api.v1alpha1.FailoverStatus;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.SwitchoverStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import io.teachtrack.operator.api.v1alpha1.WorkloadStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The Kubernetes Events a status change deserves: notable transitions only, never one per reconcile. */
public final class TransitionEvents {

    public record EventSpec(String type, String reason, String message) {
    }

    private TransitionEvents() {
    }

    public static List<EventSpec> between(TeachTrackStatus before, TeachTrackStatus after) {
        List<EventSpec> events = new ArrayList<>();
        Phase was = before == null ? null : before.getPhase();
        Phase now = after.getPhase();
        if (was != now) {
            String detail = Conditions.find(after.getConditions(), ConditionTypes.DEGRADED)
                    .filter(c -> ConditionTypes.TRUE.equals(c.getStatus()))
                    .map(c -> c.getReason() + ": " + c.getMessage()).orElse("");
            switch (now) {
                case Provisioning -> events.add(new EventSpec("Normal", "Provisioning", "Creating the platform's objects"));
                case Ready -> events.add(was == Phase.Degraded || was == Phase.Failed
                        ? new EventSpec("Normal", "Recovered", "Every component is ready again")
                        : new EventSpec("Normal", "Provisioned", "Database, cache, API and workers are ready"));
                case Degraded -> events.add(new EventSpec("Warning", "Degraded", detail));
                case Failed -> events.add(new EventSpec("Warning", "Failed", detail));
            }
        }
        volumesRefused(before, after, events);
        failedOver(before, after, events);
        switchedOver(before, after, events);
        scaled("API", before == null ? null : before.getApi(), after.getApi(), events);
        scaled("worker", before == null ? null : before.getWorkers(), after.getWorkers(), events);
        return events;
    }

    private static void volumesRefused(TeachTrackStatus before, TeachTrackStatus after, List<EventSpec> events) {
        boolean was = before != null && Conditions.find(before.getConditions(), ConditionTypes.VOLUMES_READY)
                .filter(c -> ConditionTypes.FALSE.equals(c.getStatus())).isPresent();
        Conditions.find(after.getConditions(), ConditionTypes.VOLUMES_READY).filter(c -> ConditionTypes.FALSE.equals(c.getStatus()))
                .filter(c -> !was).ifPresent(c -> events.add(new EventSpec("Warning", "VolumeExpansionRefused", c.getMessage())));
    }

    private static void failedOver(TeachTrackStatus before, TeachTrackStatus after, List<EventSpec> events) {
        FailoverStatus was = before == null || before.getMysql() == null ? null : before.getMysql().getLastFailover();
        FailoverStatus now = after.getMysql() == null ? null : after.getMysql().getLastFailover();
        if (now != null && (was == null || !Objects.equals(was.getTime(), now.getTime()))) {
            events.add(new EventSpec("Warning", "FailedOver", "Promoted " + now.getTo() + " in place of " + now.getFrom() + ": " + now.getReason()));
        }
    }

    private static void switchedOver(TeachTrackStatus before, TeachTrackStatus after, List<EventSpec> events) {
        SwitchoverStatus was = before == null || before.getMysql() == null ? null : before.getMysql().getLastSwitchover();
        SwitchoverStatus now = after.getMysql() == null ? null : after.getMysql().getLastSwitchover();
        if (now != null && now.getTime() != null && (was == null || !Objects.equals(was.getTime(), now.getTime()))) {
            boolean completed = "Completed".equals(now.getResult());
            events.add(new EventSpec(completed ? "Normal" : "Warning", completed ? "SwitchedOver" : "Switchover" + now.getResult(),
                    now.getMessage()));
        }
    }

    private static void scaled(String what, WorkloadStatus before, WorkloadStatus after, List<EventSpec> events) {
        if (before == null || after == null || before.getReplicas() == null || after.getReplicas() == null
                || before.getReplicas() == 0 || Objects.equals(before.getReplicas(), after.getReplicas())) {
            return;
        }
        events.add(new EventSpec("Normal", "Scaled",
                what + " scaled from " + before.getReplicas() + " to " + after.getReplicas() + " pods"));
    }
}
