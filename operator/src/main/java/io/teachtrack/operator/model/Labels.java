package io.teachtrack.operator.model;

import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Map;
import java.util.TreeMap;

/**
 * The labels every child carries (DESIGN.md §4), and the selectors. Nothing is copied from the
 * TeachTrack's own labels or annotations: Argo CD's tracking label or annotation on a child would make it
 * prune or flag the child as its own.
 */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String INSTANCE = "teachtrack.io/instance";
    public static final String ROLE = "teachtrack.io/role";
    /** On a TeachTrack: the replica pod to switch the primary to (an imperative request, acted on once per value). */
    public static final String SWITCHOVER_ANNOTATION = "teachtrack.io/switchover";

    public static final String APP_NAME = "teachtrack";
    public static final String MANAGER = "teachtrack-operator";
    /** Label selector of every object the operator manages; its informers watch only these. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;
    /** The operator's own pods (Helm chart) carry this name; NetworkPolicies admit them. */
    public static final String OPERATOR_APP_NAME = "teachtrack-operator";

    private Labels() {
    }

    public static Map<String, String> common(TeachTrack tt, Component component) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, APP_NAME);
        labels.put(COMPONENT, component.label());
        labels.put(PART_OF, APP_NAME);
        labels.put(MANAGED_BY, MANAGER);
        labels.put(INSTANCE, tt.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> common(TeachTrack tt, MysqlRole role) {
        Map<String, String> labels = common(tt, Component.MYSQL);
        labels.put(ROLE, role.label());
        return labels;
    }

    /** Pod selector of a component; immutable on Deployments, so it never changes. */
    public static Map<String, String> selector(TeachTrack tt, Component component) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(INSTANCE, tt.getMetadata().getName());
        labels.put(COMPONENT, component.label());
        return labels;
    }

    /** Selects MySQL pods by role (not by StatefulSet), so that a failover can move a role. */
    public static Map<String, String> selector(TeachTrack tt, MysqlRole role) {
        Map<String, String> labels = selector(tt, Component.MYSQL);
        labels.put(ROLE, role.label());
        return labels;
    }
}
