package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.teachtrack.operator.api.v1alpha1.PodOptionsSpec;
import io.teachtrack.operator.api.v1alpha1.ServiceType;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The spec's pod options reach each component's pod template, and only that component's; the operator's keys win. */
class PodOptionsTest {

    private static final Toleration DEDICATED = new Toleration("NoSchedule", "dedicated", "Equal", null, "school");

    private final TeachTrack tt = TeachTracks.school();

    @Test
    void withNoOptionsThePodsKeepTheOperatorsDefaults() {
        PodTemplateSpec api = AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getTemplate();
        assertThat(api.getMetadata().getAnnotations()).isNull();
        assertThat(api.getSpec().getNodeSelector()).isNullOrEmpty();
        assertThat(api.getSpec().getTolerations()).isNullOrEmpty();
        assertThat(api.getSpec().getTopologySpreadConstraints()).isNullOrEmpty();
        assertThat(api.getSpec().getPriorityClassName()).isNull();
        assertThat(api.getSpec().getImagePullSecrets()).isNullOrEmpty();
        assertThat(api.getSpec().getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(term -> assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        assertThat(AppModel.apiService(tt).getSpec().getType()).isEqualTo("ClusterIP");
    }

    @Test
    void eachComponentGetsItsOwnOptions() {
        options(tt.getSpec().getApi(), "api");
        options(tt.getSpec().getWorker(), "worker");
        options(tt.getSpec().getRedis(), "redis");
        options(tt.getSpec().getMysql(), "mysql");

        Map<String, PodTemplateSpec> templates = Map.of(
                "api", AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getTemplate(),
                "worker", AppModel.worker(tt, TeachTracks.DEFAULTS).getSpec().getTemplate(),
                "redis", RedisModel.deployment(tt, TeachTracks.DEFAULTS).getSpec().getTemplate(),
                "mysql", MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getSpec().getTemplate());
        templates.forEach((component, template) -> {
            assertThat(template.getMetadata().getLabels()).as(component).containsEntry("team", component)
                    .containsEntry(Labels.COMPONENT, component);
            assertThat(template.getMetadata().getAnnotations()).as(component).containsOnly(Map.entry("scrape", component));
            assertThat(template.getSpec().getNodeSelector()).as(component).containsOnly(Map.entry("pool", component));
            assertThat(template.getSpec().getTolerations()).as(component).containsExactly(DEDICATED);
            assertThat(template.getSpec().getPriorityClassName()).as(component).isEqualTo(component + "-priority");
        });
    }

    @Test
    void aTopologySpreadConstraintWithoutSelectorSpreadsTheComponentsOwnPods() {
        TopologySpreadConstraint zones = new TopologySpreadConstraintBuilder().withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("ScheduleAnyway").build();
        TopologySpreadConstraint own = new TopologySpreadConstraintBuilder(zones).withTopologyKey("kubernetes.io/hostname")
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("tier", "db").build()).build();
        tt.getSpec().getMysql().setTopologySpreadConstraints(List.of(zones, own));

        var constraints = MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getSpec().getTemplate().getSpec().getTopologySpreadConstraints();

        assertThat(constraints).extracting(c -> c.getLabelSelector().getMatchLabels()).containsExactly(
                Labels.selector(tt, Component.MYSQL), Map.of("tier", "db"));
        assertThat(tt.getSpec().getMysql().getTopologySpreadConstraints().getFirst().getLabelSelector())
                .as("the spec (the informer's cached object) is not changed").isNull();
    }

    @Test
    void eachPartOfAGivenAffinityReplacesOnlyTheOperatorsDefaultForThatPart() {
        tt.getSpec().getApi().setAffinity(new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("pool").withOperator("In").withValues("web").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        tt.getSpec().getWorker().setAffinity(new AffinityBuilder().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("topology.kubernetes.io/zone").endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build());

        var api = AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getTemplate().getSpec().getAffinity();
        var worker = AppModel.worker(tt, TeachTracks.DEFAULTS).getSpec().getTemplate().getSpec().getAffinity();

        assertThat(api.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()).hasSize(1);
        assertThat(api.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).as("the default stays").hasSize(1);
        assertThat(worker.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).as("replaced").isNullOrEmpty();
        assertThat(worker.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(term -> assertThat(term.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    }

    @Test
    void theOperatorsLabelsAndAnnotationsWinOverTheSpecs() {
        tt.getSpec().getApi().setPodLabels(Map.of(Labels.COMPONENT, "worker", "team", "web"));
        tt.getSpec().getApi().setPodAnnotations(Map.of(CredentialsVersion.ANNOTATION, "forged"));

        var api = CredentialsVersion.stamp(AppModel.api(tt, TeachTracks.DEFAULTS), "v2").getSpec().getTemplate().getMetadata();

        assertThat(api.getLabels()).containsEntry(Labels.COMPONENT, "api").containsEntry("team", "web");
        assertThat(api.getAnnotations()).containsEntry(CredentialsVersion.ANNOTATION, "v2");
        assertThat(AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getSelector().getMatchLabels())
                .isEqualTo(Labels.selector(tt, Component.API));
    }

    @Test
    void imagePullSecretsReachEveryPod() {
        tt.getSpec().setImagePullSecrets(List.of(new LocalObjectReference("registry")));
        List<Function<TeachTrack, PodTemplateSpec>> templates = List.of(
                t -> AppModel.api(t, TeachTracks.DEFAULTS).getSpec().getTemplate(),
                t -> AppModel.worker(t, TeachTracks.DEFAULTS).getSpec().getTemplate(),
                t -> RedisModel.deployment(t, TeachTracks.DEFAULTS).getSpec().getTemplate(),
                t -> MysqlModel.statefulSet(t, TeachTracks.DEFAULTS, null).getSpec().getTemplate());
        assertThat(templates).allSatisfy(template -> assertThat(template.apply(tt).getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("registry"));
    }

    @Test
    void theApiServiceTakesTheSpecsTypeAndAnnotations() {
        tt.getSpec().getApi().getService().setType(ServiceType.LoadBalancer);
        tt.getSpec().getApi().getService().setAnnotations(Map.of("service.beta.kubernetes.io/aws-load-balancer-internal", "true"));

        Service service = AppModel.apiService(tt);

        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getMetadata().getAnnotations()).containsOnly(Map.entry("service.beta.kubernetes.io/aws-load-balancer-internal", "true"));
        assertThat(service.getMetadata().getLabels()).isEqualTo(Labels.common(tt, Component.API));
    }

    private static void options(PodOptionsSpec options, String component) {
        options.setPodLabels(Map.of("team", component));
        options.setPodAnnotations(Map.of("scrape", component));
        options.setNodeSelector(Map.of("pool", component));
        options.setTolerations(List.of(DEDICATED));
        options.setPriorityClassName(component + "-priority");
    }
}
