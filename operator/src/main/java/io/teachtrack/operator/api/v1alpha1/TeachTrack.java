package io.teachtrack.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One TeachTrack platform: API and worker Deployments with autoscaling, a Redis cache and a MySQL
 * primary with read replicas whose GTID replication the operator bootstraps and watches.
 */
@Group(TeachTrack.GROUP)
@Version(TeachTrack.VERSION)
@Kind(TeachTrack.KIND)
@Plural(TeachTrack.PLURAL)
@Singular("teachtrack")
@ShortNames("tt")
@Categories("teachtrack")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        getDescription = "Status of the Ready condition")
@AdditionalPrinterColumn(name = "Phase", type = Type.STRING, jsonPath = ".status.phase",
        getDescription = "Provisioning, Ready, Degraded or Failed")
@AdditionalPrinterColumn(name = "API", type = Type.INTEGER, jsonPath = ".status.api.readyReplicas",
        getDescription = "Ready API pods")
@AdditionalPrinterColumn(name = "Replicas", type = Type.INTEGER, jsonPath = ".status.mysql.readyReplicas",
        getDescription = "Ready MySQL read replicas")
@AdditionalPrinterColumn(name = "Lag", type = Type.INTEGER, jsonPath = ".status.mysql.maxLagSeconds",
        getDescription = "Largest replication lag in seconds")
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "Primary", type = Type.STRING, jsonPath = ".status.mysql.primary", priority = 1,
        getDescription = "Pod running the MySQL primary")
@ValidationRule(value = "self.metadata.name.size() <= " + TeachTrack.MAX_NAME_LENGTH,
        message = "metadata.name must be at most " + TeachTrack.MAX_NAME_LENGTH
                + " characters, so that the names of the objects the operator creates fit in 63")
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must start with a letter and contain only lower-case letters, digits and '-'"
                + " (it names Services, which must be DNS-1035 labels)")
// An absent spec gets every default, exactly like `spec: {}`.
@SchemaCustomizer(value = EmptyObjectDefaults.class, input = "spec")
@SchemaCustomizer(value = TopLevelDescriptions.class)
public class TeachTrack extends CustomResource<TeachTrackSpec, TeachTrackStatus> implements Namespaced {

    public static final String GROUP = "teachtrack.io";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "TeachTrack";
    public static final String PLURAL = "teachtracks";
    public static final int MAX_NAME_LENGTH = 40;

    @Override
    protected TeachTrackSpec initSpec() {
        return new TeachTrackSpec();
    }

    @Override
    protected TeachTrackStatus initStatus() {
        return new TeachTrackStatus();
    }
}
