package io.teachtrack.operator.api.crd;

import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CRD embeds a Kubernetes type (affinity, tolerations, resources, conditions...), found from the Java
 * classes of spec and status: schema path → the fabric8 model class. A path ends in {@code []} where the field is a
 * list of the type (the array's items are the type).
 */
public final class EmbeddedKubernetesTypes {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private EmbeddedKubernetesTypes() {
    }

    /** Every Kubernetes type the TeachTrack CRD embeds, in spec and status. */
    public static Map<String, Class<?>> inTeachTrack() {
        Map<String, Class<?>> found = of("spec", TeachTrackSpec.class);
        found.putAll(of("status", TeachTrackStatus.class));
        return found;
    }

    /** The Kubernetes types below {@code type}, whose schema sits at {@code path}. */
    public static Map<String, Class<?>> of(String path, Class<?> type) {
        Map<String, Class<?>> found = new TreeMap<>();
        collect(path, type, found);
        return found;
    }

    private static void collect(String path, Class<?> type, Map<String, Class<?>> found) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                boolean list = List.class.isAssignableFrom(field.getType());
                Class<?> valueType = list ? elementType(field) : field.getType();
                String fieldPath = path + "." + field.getName() + (list ? "[]" : "");
                if (valueType.getPackageName().equals(MODEL_PACKAGE)) {
                    found.put(fieldPath, valueType);
                } else if (valueType.getPackageName().equals(type.getPackageName()) && !valueType.isEnum()) {
                    collect(fieldPath, valueType, found);
                }
            }
        }
    }

    private static Class<?> elementType(Field field) {
        return field.getGenericType() instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element ? element : Object.class;
    }
}
