package io.teachtrack.operator.api.v1alpha1;

/** The core/v1 Service types the API Service may have (ExternalName has no pods behind it). */
public enum ServiceType {
    ClusterIP, NodePort, LoadBalancer
}
