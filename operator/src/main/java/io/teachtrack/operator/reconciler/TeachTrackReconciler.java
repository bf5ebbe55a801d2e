package io.teachtrack.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.dependent.api.ApiAutoscalerDependent;
import io.teachtrack.operator.dependent.api.ApiDeploymentDependent;
import io.teachtrack.operator.dependent.api.ApiDisruptionBudgetDependent;
import io.teachtrack.operator.dependent.api.ApiServiceDependent;
import io.teachtrack.operator.dependent.credentials.CredentialsSecretDependent;
import io.teachtrack.operator.dependent.database.DatabaseBootstrapDependent;
import io.teachtrack.operator.dependent.mysql.MysqlConfigMapDependent;
import io.teachtrack.operator.dependent.mysql.MysqlDisruptionBudgetDependent;
import io.teachtrack.operator.dependent.mysql.MysqlHeadlessServiceDependent;
import io.teachtrack.operator.dependent.mysql.MysqlNetworkPolicyDependent;
import io.teachtrack.operator.dependent.mysql.MysqlPrimaryServiceDependent;
import io.teachtrack.operator.dependent.mysql.MysqlReplicasServiceDependent;
import io.teachtrack.operator.dependent.mysql.MysqlStatefulSetDependent;
import io.teachtrack.operator.dependent.redis.RedisDeploymentDependent;
import io.teachtrack.operator.dependent.redis.RedisNetworkPolicyDependent;
import io.teachtrack.operator.dependent.redis.RedisServiceDependent;
import io.teachtrack.operator.dependent.worker.WorkerAutoscalerDependent;
import io.teachtrack.operator.dependent.worker.WorkerDeploymentDependent;
import io.teachtrack.operator.metrics.FailoverMetrics;
import io.teachtrack.operator.metrics.PlatformMetrics;
import io.teachtrack.operator.model.Component;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.reconciler.conditions.ApiAutoscalingEnabled;
import io.teachtrack.operator.reconciler.conditions.AppDatabaseReady;
import io.teachtrack.operator.reconciler.conditions.CacheEnabled;
import io.teachtrack.operator.reconciler.conditions.WorkerAutoscalingEnabled;
import io.teachtrack.operator.replication.ReplicationReport;
import io.teachtrack.operator.status.EventThrottle;
import io.teachtrack.operator.status.Observation;
import io.teachtrack.operator.status.StatusAggregator;
import io.teachtrack.operator.status.TransitionEvents;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a TeachTrack into the platform. The workflow creates the children in readiness order —
 * Secret and config → MySQL servers → replication, the primary writable and the app database → API and workers — and this class
 * then publishes what it observed as status. Level-triggered: it derives everything from what exists now.
 */
@Workflow(dependents = {
        @Dependent(name = TeachTrackReconciler.CREDENTIALS, type = CredentialsSecretDependent.class),
        @Dependent(name = TeachTrackReconciler.MYSQL_CONFIG, type = MysqlConfigMapDependent.class),
        @Dependent(name = TeachTrackReconciler.MYSQL_HEADLESS, type = MysqlHeadlessServiceDependent.class),
        @Dependent(name = TeachTrackReconciler.MYSQL, type = MysqlStatefulSetDependent.class,
                dependsOn = {TeachTrackReconciler.CREDENTIALS, TeachTrackReconciler.MYSQL_CONFIG, TeachTrackReconciler.MYSQL_HEADLESS}),
        @Dependent(name = "mysql-primary-service", type = MysqlPrimaryServiceDependent.class),
        @Dependent(name = "mysql-replicas-service", type = MysqlReplicasServiceDependent.class),
        @Dependent(name = "mysql-network-policy", type = MysqlNetworkPolicyDependent.class),
        @Dependent(name = "mysql-pdb", type = MysqlDisruptionBudgetDependent.class),
        // Replication runs as soon as the StatefulSet exists: it observes whichever servers answer, and it must keep
        // running (labels, status) while some of them are down.
        @Dependent(name = TeachTrackReconciler.DATABASE, type = DatabaseBootstrapDependent.class,
                dependsOn = TeachTrackReconciler.MYSQL, readyPostcondition = AppDatabaseReady.class),
        @Dependent(name = "redis", type = RedisDeploymentDependent.class, reconcilePrecondition = CacheEnabled.class),
        @Dependent(name = "redis-service", type = RedisServiceDependent.class, reconcilePrecondition = CacheEnabled.class),
        @Dependent(name = "redis-network-policy", type = RedisNetworkPolicyDependent.class, reconcilePrecondition = CacheEnabled.class),
        @Dependent(name = TeachTrackReconciler.API, type = ApiDeploymentDependent.class, dependsOn = TeachTrackReconciler.DATABASE),
        @Dependent(name = "api-service", type = ApiServiceDependent.class),
        @Dependent(name = "api-pdb", type = ApiDisruptionBudgetDependent.class),
        @Dependent(name = "api-hpa", type = ApiAutoscalerDependent.class, dependsOn = TeachTrackReconciler.API,
                reconcilePrecondition = ApiAutoscalingEnabled.class),
        @Dependent(name = TeachTrackReconciler.WORKER, type = WorkerDeploymentDependent.class, dependsOn = TeachTrackReconciler.DATABASE),
        @Dependent(name = "worker-hpa", type = WorkerAutoscalerDependent.class, dependsOn = TeachTrackReconciler.WORKER,
                reconcilePrecondition = WorkerAutoscalingEnabled.class),
})
@ControllerConfiguration(name = TeachTrackReconciler.NAME)
@GradualRetry(maxAttempts = 100, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 60_000)
public class TeachTrackReconciler implements Reconciler<TeachTrack> {

    public static final String NAME = "teachtrack";
    static final String CREDENTIALS = "credentials";
    static final String MYSQL_CONFIG = "mysql-config";
    static final String MYSQL_HEADLESS = "mysql-headless";
    static final String MYSQL = "mysql";
    static final String DATABASE = "database";
    /** The event source of the MySQL pods. */
    public static final String MYSQL_PODS = "mysql-pods";
    /** The event source of the MySQL volumes (claims). */
    public static final String MYSQL_VOLUMES = "mysql-volumes";
    static final String API = "api";
    static final String WORKER = "worker";

    private static final Logger LOG = Logger.getLogger(TeachTrackReconciler.class);
    private static final Duration FAILOVER_POLL_INTERVAL = Duration.ofSeconds(1);

    private final StatusAggregator aggregator = new StatusAggregator();
    private final EventThrottle throttle = new EventThrottle();
    private final EventRecorder events;
    private final OperatorSettings settings;
    private final PlatformMetrics metrics;
    private final FailoverMetrics failovers;
    private final Clock clock;

    public TeachTrackReconciler(EventRecorder events, OperatorSettings settings, PlatformMetrics metrics, FailoverMetrics failovers) {
        this.events = events;
        this.settings = settings;
        this.metrics = metrics;
        this.failovers = failovers;
        this.clock = Clock.systemUTC();
    }

    /**
     * The MySQL pods, cached: replication reads their role labels (and, in pod-ip mode, their IPs) without a request,
     * and a pod that starts, becomes ready or goes away triggers a reconcile at once. The MySQL volumes, cached: the
     * credentials Secret lives as long as any of them does.
     */
    @Override
    public List<EventSource<?, TeachTrack>> prepareEventSources(EventSourceContext<TeachTrack> context) {
        return List.of(
                new InformerEventSource<>(ofMysqlComponent(Pod.class, MYSQL_PODS), context),
                new InformerEventSource<>(ofMysqlComponent(PersistentVolumeClaim.class, MYSQL_VOLUMES), context));
    }

    /** Objects of the MySQL component, each mapped by its instance label to the TeachTrack it belongs to. */
    private static <R extends HasMetadata> InformerEventSourceConfiguration<R> ofMysqlComponent(Class<R> type, String name) {
        return InformerEventSourceConfiguration.from(type, TeachTrack.class)
                .withName(name)
                .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=" + Component.MYSQL.label())
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(object -> Set.of(new ResourceID(object.getMetadata().getLabels().get(Labels.INSTANCE),
                        object.getMetadata().getNamespace())))
                .build();
    }

    @Override
    public UpdateControl<TeachTrack> reconcile(TeachTrack teachTrack, Context<TeachTrack> context) {
        Observation seen = observe(teachTrack, context, null);
        Instant now = clock.instant();
        TeachTrackStatus status = aggregator.aggregate(teachTrack, seen, now);
        String namespace = teachTrack.getMetadata().getNamespace();
        metrics.observed(namespace, teachTrack.getMetadata().getName(), status, now);
        failovers.register(namespace, teachTrack.getMetadata().getName());
        List<String> existing = context.getPrimaryCache().list()
                .map(tt -> tt.getMetadata().getNamespace() + "/" + tt.getMetadata().getName()).toList();
        metrics.retainOnly(existing);
        failovers.retainOnly(existing);
        UpdateControl<TeachTrack> control = publish(teachTrack, status)
                ? UpdateControl.patchStatus(withStatus(teachTrack, status))
                : UpdateControl.noUpdate();
        // Replication is observed by polling too: a replica falling behind sends no Kubernetes event. While the primary
        // is lost or being replaced, every second counts.
        boolean watchClosely = seen.replication() != null && seen.replication().watchClosely();
        return control.rescheduleAfter(watchClosely ? FAILOVER_POLL_INTERVAL : settings.mysql().pollInterval());
    }

    @Override
    public ErrorStatusUpdateControl<TeachTrack> updateErrorStatus(TeachTrack teachTrack, Context<TeachTrack> context, Exception e) {
        String error = describe(e);
        LOG.warnf("Reconciling TeachTrack %s/%s failed (will retry): %s", teachTrack.getMetadata().getNamespace(),
                teachTrack.getMetadata().getName(), error);
        if (lostTheTeachTrackToANewerVersion(e)) {
            // Our copy is stale (the spec changed meanwhile): a status patch would conflict again, and the SDK then
            // waits for an event it may already have consumed (seen: a spec edit unapplied for 90 s). Retry instead.
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        TeachTrackStatus status = aggregator.aggregate(teachTrack, observe(teachTrack, context, error), clock.instant());
        metrics.observed(teachTrack.getMetadata().getNamespace(), teachTrack.getMetadata().getName(), status, null);
        return publish(teachTrack, status)
                ? ErrorStatusUpdateControl.patchStatus(withStatus(teachTrack, status))
                : ErrorStatusUpdateControl.noStatusUpdate();
    }

    private static boolean lostTheTeachTrackToANewerVersion(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException k && k.getCode() == 409 && k.getStatus() != null
                    && k.getStatus().getDetails() != null && "teachtracks".equals(k.getStatus().getDetails().getKind())) {
                return true;
            }
        }
        return false;
    }

    /** Records the transition events and tells whether the status changed (and so needs writing). */
    private boolean publish(TeachTrack teachTrack, TeachTrackStatus status) {
        TeachTrackStatus previous = teachTrack.getStatus();
        if (previous != null && Serialization.jsonMapper().valueToTree(previous)
                .equals(Serialization.jsonMapper().valueToTree(status))) {
            return false;
        }
        Instant now = clock.instant();
        TransitionEvents.between(previous, status).stream()
                .filter(event -> throttle.admit(teachTrack.getMetadata().getUid(), event, now))
                .forEach(event -> events.record(teachTrack, event));
        return true;
    }

    private static Observation observe(TeachTrack tt, Context<TeachTrack> context, String error) {
        return new Observation(
                find(context, StatefulSet.class, Names.mysql(tt)),
                find(context, Deployment.class, Names.redis(tt)),
                find(context, Deployment.class, Names.api(tt)),
                find(context, Deployment.class, Names.worker(tt)),
                context.managedWorkflowAndDependentResourceContext()
                        .get(ReplicationReport.class, ReplicationReport.class).orElse(null),
                error,
                context.managedWorkflowAndDependentResourceContext().get(MysqlStatefulSetDependent.RESIZE_REFUSED, String.class).orElse(null));
    }

    private static <R extends HasMetadata> R find(Context<TeachTrack> context, Class<R> type, String name) {
        return context.getSecondaryResources(type).stream()
                .filter(r -> Objects.equals(name, r.getMetadata().getName()))
                .findFirst().orElse(null);
    }

    /** Only the status is sent, so the operator can never write spec. */
    private static TeachTrack withStatus(TeachTrack teachTrack, TeachTrackStatus status) {
        TeachTrack patch = new TeachTrack();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(teachTrack.getMetadata().getName())
                .withNamespace(teachTrack.getMetadata().getNamespace())
                .withResourceVersion(teachTrack.getMetadata().getResourceVersion())
                .withGeneration(teachTrack.getMetadata().getGeneration())
                .withUid(teachTrack.getMetadata().getUid())
                .build());
        patch.setSpec(null);
        patch.setStatus(status);
        return patch;
    }

    /**
     * One line per failed child, "dependent: code reason: message", for status, events and the log — never a
     * stack trace, never a resource body.
     */
    static String describe(Exception e) {
        if (e instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
            return aggregated.getAggregatedExceptions().entrySet().stream()
                    .map(entry -> entry.getKey() + ": " + rootMessage(entry.getValue()))
                    .sorted()
                    .collect(Collectors.joining("; "));
        }
        return rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (true) {
            if (cause instanceof KubernetesClientException k8s && k8s.getStatus() != null && k8s.getStatus().getMessage() != null) {
                return k8s.getCode() + " " + Objects.toString(k8s.getStatus().getReason(), "") + ": " + k8s.getStatus().getMessage();
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return message.replaceAll("\\s+", " ").trim();
    }
}
