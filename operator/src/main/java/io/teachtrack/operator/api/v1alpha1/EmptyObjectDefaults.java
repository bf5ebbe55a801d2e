package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Arrays;

/**
 * Gives the named object properties the CRD default {@code {}}, so that the API server fills in the
 * scalar defaults below them even when the user leaves the whole block out ({@code spec: {}}).
 * ({@code @Default("{}")} cannot do it: it serialises the Java object, field initialisers included.)
 * Input: the property names, comma separated.
 */
public class EmptyObjectDefaults implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        Arrays.stream(input.split(","))
                .map(String::trim)
                .forEach(name -> {
                    JSONSchemaProps property = props.getProperties().get(name);
                    if (property == null || !"object".equals(property.getType())) {
                        throw new IllegalArgumentException("no object property '" + name + "' to default to {}");
                    }
                    property.setDefault(JsonNodeFactory.instance.objectNode());
                });
        return props;
    }
}
