package io.teachtrack.operator.api.v1alpha1;

/** The core/v1 image pull policies. */
public enum ImagePullPolicy {
    Always, IfNotPresent, Never
}
