package io.teachtrack.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Descriptions of {@code spec} and {@code status} themselves, which live in the fabric8 base class and so
 * cannot carry an annotation (without them `kubectl explain tt.spec` says {@code <empty>}).
 */
public class TopLevelDescriptions implements SchemaCustomizer.Customizer {

    static final String SPEC = "The platform the operator builds: the API and its worker (image, replicas or autoscaling, cache,"
            + " read/write split), the Redis cache and the MySQL primary with its read replicas. Every field has a default,"
            + " so `spec: {}` is a complete platform. The operator never writes spec.";
    static final String STATUS = "What the operator observed: phase, conditions (Ready, Progressing, Degraded and one per"
            + " component), pod counts, MySQL replication per replica and in-cluster endpoints. Written only by the operator.";

    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        props.getProperties().get("spec").setDescription(SPEC);
        props.getProperties().get("status").setDescription(STATUS);
        return props;
    }
}
