package io.teachtrack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** metav1.Condition helpers: lastTransitionTime moves only when a condition's status flips. */
public final class Conditions {

    private Conditions() {
    }

    public static Condition of(String type, String status, String reason, String message, Long generation) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).build();
    }

    /** The fresh conditions, each keeping the previous lastTransitionTime unless its status changed. */
    public static List<Condition> merge(List<Condition> previous, List<Condition> fresh, Instant now) {
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        List<Condition> merged = new ArrayList<>();
        for (Condition condition : fresh) {
            Optional<Condition> before = find(previous, condition.getType());
            boolean unchanged = before.isPresent() && before.get().getStatus().equals(condition.getStatus())
                    && before.get().getLastTransitionTime() != null;
            merged.add(new ConditionBuilder(condition)
                    .withLastTransitionTime(unchanged ? before.get().getLastTransitionTime() : timestamp)
                    .build());
        }
        return merged;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> ConditionTypes.TRUE.equals(c.getStatus())).orElse(false);
    }
}
