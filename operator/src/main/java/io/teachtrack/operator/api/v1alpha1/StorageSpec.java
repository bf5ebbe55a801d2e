package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName)"
        + " && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message = "mysql.storage.storageClassName is immutable: the volumes already claimed keep their class")
public class StorageSpec {

    public static final String DEFAULT_SIZE = "10Gi";

    @Size(max = Quantities.MAX_LENGTH)
    @Default(DEFAULT_SIZE)
    @ValidationRule(value = Quantities.IS_QUANTITY, message = "mysql.storage.size must be a quantity such as 10Gi")
    @ValidationRule(value = Quantities.NEVER_SHRINKS,
            message = "mysql.storage.size may grow but never shrink: a volume cannot be made smaller")
    @JsonPropertyDescription("Size of each database pod's volume, as a quantity such as 10Gi. May grow, never shrink.")
    private String size = DEFAULT_SIZE;

    @Size(max = 253)
    @JsonPropertyDescription("StorageClass of the volumes. Unset: the cluster's default class. Immutable.")
    private String storageClassName;

    public String getSize() { return size; }
    public void setSize(String size) { this.size = size; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
}
