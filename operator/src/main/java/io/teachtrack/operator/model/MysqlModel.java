package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.StorageSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.mysql.Dialect;

import java.util.List;
import java.util.Map;

/**
 * The MySQL Services and the StatefulSet: one StatefulSet of {@code 1 + mysql.replicas} pods whose selector has no role,
 * its headless Service, and one Service per role selecting the role label the operator moves.
 */
public final class MysqlModel {

    public static final String DATA_VOLUME = "data";
    /** server_id = 1 + the pod's ordinal: unique among the servers of a TeachTrack, whichever is primary. */
    static final int SERVER_ID_BASE = 1;
    static final String CONTAINER = "mysql";

    private MysqlModel() {
    }

    /** Governs the StatefulSet: gives every MySQL pod a stable DNS name {@code <pod>.<n>-mysql.<ns>.svc}. */
    public static Service headlessService(TeachTrack tt) {
        return new ServiceBuilder()
                .withMetadata(ObjectMetas.of(tt, Names.mysql(tt), Labels.common(tt, Component.MYSQL)))
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(tt, Component.MYSQL))
                .addNewPort().withName("mysql").withPort(Names.MYSQL_PORT).withProtocol("TCP")
                .withTargetPort(new IntOrString(Names.MYSQL_PORT)).endPort()
                .endSpec()
                .build();
    }

    /**
     * {@code <n>-mysql-primary} (writes) or {@code <n>-mysql-replicas} (reads), selecting by role label. The replicas'
     * Service is headless: its DNS name lists every replica allowed to serve reads, and the API keeps one pool per
     * replica, each judged on its own heartbeat (a balancing Service would hide which server a connection reached).
     */
    public static Service roleService(TeachTrack tt, MysqlRole role) {
        String name = role == MysqlRole.PRIMARY ? Names.mysqlPrimary(tt) : Names.mysqlReplicas(tt);
        return new ServiceBuilder()
                .withMetadata(ObjectMetas.of(tt, name, Labels.common(tt, role)))
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(role == MysqlRole.PRIMARY ? null : "None")
                .withSelector(Labels.selector(tt, role))
                .addNewPort().withName("mysql").withPort(Names.MYSQL_PORT).withProtocol("TCP")
                .withTargetPort(new IntOrString(Names.MYSQL_PORT)).endPort()
                .endSpec()
                .build();
    }

    /**
     * The StatefulSet of every MySQL server. {@code existing} is the StatefulSet as it is now, or null: its volume claim
     * templates are kept, because Kubernetes forbids changing them (volumes grow through their PVCs instead).
     */
    public static StatefulSet statefulSet(TeachTrack tt, PlatformDefaults defaults, StatefulSet existing) {
        List<PersistentVolumeClaim> claims = existing != null && existing.getSpec() != null
                && existing.getSpec().getVolumeClaimTemplates() != null && !existing.getSpec().getVolumeClaimTemplates().isEmpty()
                ? existing.getSpec().getVolumeClaimTemplates()
                : List.of(volumeClaimTemplate(tt));
        var metadata = ObjectMetas.of(tt, Names.mysql(tt), Labels.common(tt, Component.MYSQL));
        metadata.setAnnotations(Map.of(StorageModel.APPLIED_SIZE, tt.getSpec().getMysql().getStorage().getSize()));
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withReplicas(MysqlMembers.count(tt))
                .withServiceName(Names.mysql(tt))
                // Every server starts read-only and waits for the operator, so they may all start at once.
                .withPodManagementPolicy("Parallel")
                // The operator rolls the pods itself: replicas first, one at a time, the primary last after a switchover.
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(Labels.selector(tt, Component.MYSQL)).endSelector()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.common(tt, Component.MYSQL)).endMetadata()
                .withNewSpec()
                .withSecurityContext(PodSecurity.pod(PodSecurity.DATA_USER))
                .withTerminationGracePeriodSeconds(60L)
                .withNewAffinity().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(Labels.selector(tt, Component.MYSQL)).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity()
                .withContainers(container(tt, defaults))
                .addNewVolume().withName("config").withConfigMap(new ConfigMapVolumeSourceBuilder()
                        .withName(Names.mysqlConfig(tt)).withDefaultMode(0444)
                        .addNewItem().withKey(MysqlConfigModel.MY_CNF).withPath(MysqlConfigModel.MY_CNF).endItem()
                        .addNewItem().withKey(MysqlConfigModel.START_SCRIPT).withPath(MysqlConfigModel.START_SCRIPT)
                        .withMode(0555).endItem()
                        .build()).endVolume()
                .addNewVolume().withName("root-password").withNewSecret().withSecretName(Names.credentials(tt))
                .withDefaultMode(0440)
                .addNewItem().withKey(CredentialKeys.MYSQL_ROOT_PASSWORD).withPath(CredentialKeys.MYSQL_ROOT_PASSWORD).endItem()
                .endSecret().endVolume()
                .addNewVolume().withName("run").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .endSpec()
                .build();
        // A change here changes the StatefulSet's revision: the operator rolls the pods, the primary last.
        PodOptions.apply(statefulSet.getSpec().getTemplate(), tt, Component.MYSQL, tt.getSpec().getMysql());
        return statefulSet;
    }

    static PersistentVolumeClaim volumeClaimTemplate(TeachTrack tt) {
        StorageSpec storage = tt.getSpec().getMysql().getStorage();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(DATA_VOLUME).withLabels(Labels.common(tt, Component.MYSQL)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storage.getStorageClassName())
                .withNewResources().addToRequests("storage", new Quantity(storage.getSize())).endResources()
                .endSpec()
                .build();
    }

    private static Container container(TeachTrack tt, PlatformDefaults defaults) {
        MysqlEngine engine = tt.getSpec().getMysql().getEngine();
        String admin = Dialect.of(engine).adminClient();
        long binlogExpirySeconds = tt.getSpec().getMysql().getBinlogExpiryHours() * 3600L;
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(defaults.databaseImage(tt))
                .withCommand(MysqlConfigModel.MOUNT_PATH + "/" + MysqlConfigModel.START_SCRIPT)
                .withEnv(env(MysqlConfigModel.ENGINE_ENV, engine.name()),
                        env(MysqlConfigModel.SERVER_ID_BASE_ENV, String.valueOf(SERVER_ID_BASE)),
                        env(MysqlConfigModel.BINLOG_EXPIRE_SECONDS_ENV, String.valueOf(binlogExpirySeconds)))
                .addNewPort().withName("mysql").withContainerPort(Names.MYSQL_PORT).withProtocol("TCP").endPort()
                .withResources(DefaultResources.orDefault(tt.getSpec().getMysql().getResources(), DefaultResources.mysql()))
                .withSecurityContext(PodSecurity.container(true))
                // ping answers 0 whenever the server runs, even when it refuses the anonymous login.
                .withNewReadinessProbe().withNewExec().withCommand(admin, "ping", "--host=127.0.0.1", "--silent").endExec()
                .withInitialDelaySeconds(5).withPeriodSeconds(5).withTimeoutSeconds(3).endReadinessProbe()
                .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(Names.MYSQL_PORT)).endTcpSocket()
                .withInitialDelaySeconds(60).withPeriodSeconds(10).withTimeoutSeconds(5).endLivenessProbe()
                .addNewVolumeMount().withName(DATA_VOLUME).withMountPath("/var/lib/mysql").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath(MysqlConfigModel.MOUNT_PATH).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("root-password").withMountPath(MysqlConfigModel.SECRET_MOUNT_PATH)
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("run").withMountPath("/var/run/mysqld").endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
