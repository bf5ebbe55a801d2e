package io.teachtrack.operator.api.v1alpha1;

/** The one-word summary of a TeachTrack's status, for humans. */
public enum Phase {
    Provisioning, Ready, Degraded, Failed
}
