package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.teachtrack.operator.model.Labels;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Benchmark tooling, not product code: the kubelet that kwok does not have (the operator benchmark runs 50
 * TeachTracks on kwok's fake nodes; everything else runs on the real node). kwok marks pods Running; this
 * starts a real process for each Running pod of the components it was given (bound to the pod IP, which kwok
 * takes from 127.0.0.0/8), runs the pods' readiness probes against them every second and writes the result
 * into the pods' Ready condition, restarts a process that died (as a container restart), and stops the process
 * of a deleted pod. A pod's data directory stays, as a PersistentVolume would.
 */
public final class PodSupervisor implements AutoCloseable {

    private static final Duration PROBE_PERIOD = Duration.ofSeconds(1);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    private static final int STARTERS = 4;

    /** One supervised pod: its latest object, its process, and what the kubelet last reported. */
    private static final class Supervised {
        volatile Pod pod;
        volatile PodProcess process;
        volatile Boolean reportedReady;
        volatile Instant diedAt;
        final AtomicBoolean queued = new AtomicBoolean();

        Supervised(Pod pod) {
            this.pod = pod;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final PodContext context;
    private final Map<String, PodRuntime> runtimes;
    private final Map<String, Supervised> pods = new ConcurrentHashMap<>();
    /** Each pod always on the same starter, so one pod's events stay in order while pods start in parallel. */
    private final List<ExecutorService> starters = IntStream.range(0, STARTERS)
            .mapToObj(i -> Executors.newSingleThreadExecutor()).toList();
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();
    private final SharedIndexInformer<Pod> informer;

    private PodSupervisor(KubernetesClient client, String namespace, Path dataRoot, List<PodRuntime> runtimes) {
        this.client = client;
        this.namespace = namespace;
        this.context = new PodContext(client, namespace, dataRoot);
        this.runtimes = runtimes.stream().collect(Collectors.toMap(PodRuntime::component, Function.identity()));
        this.informer = client.pods().inNamespace(namespace)
                .withLabelIn(Labels.COMPONENT, this.runtimes.keySet().toArray(String[]::new))
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        starterOf(pod).submit(() -> sync(pod));
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                        starterOf(pod).submit(() -> sync(pod));
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        starterOf(pod).submit(() -> remove(pod.getMetadata().getName()));
                    }
                });
        kubelet.scheduleWithFixedDelay(this::probeAll, 0, PROBE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Only the MySQL pods (the operator's cluster tests need real databases, not the API). */
    public static PodSupervisor databasesOnly(KubernetesClient client, String namespace, Path dataRoot) {
        return new PodSupervisor(client, namespace, dataRoot, List.of(new MysqlPodRuntime()));
    }

    /** The IP of a supervised pod (where its process listens). */
    public String podIp(String pod) {
        Supervised s = pods.get(pod);
        if (s == null) {
            throw new IllegalStateException("pod " + pod + " is not supervised");
        }
        return s.pod.getStatus().getPodIP();
    }

    private ExecutorService starterOf(Pod pod) {
        return starters.get(Math.floorMod(pod.getMetadata().getName().hashCode(), starters.size()));
    }

    private void sync(Pod pod) {
        String name = pod.getMetadata().getName();
        boolean running = pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getPodIP() != null && "Running".equals(pod.getStatus().getPhase());
        if (!running) {
            remove(name);
            return;
        }
        Supervised s = pods.computeIfAbsent(name, n -> new Supervised(pod));
        String previousIp = s.pod.getStatus().getPodIP();
        s.pod = pod;
        if (s.process != null && pod.getStatus().getPodIP().equals(previousIp)) {
            return;
        }
        if (s.process != null) {
            s.process.kill();
            s.process = null;
        }
        PodRuntime runtime = runtimes.get(pod.getMetadata().getLabels().get(Labels.COMPONENT));
        try {
            context.environment(pod).flatMap(env -> runtime.start(pod, env, context)).ifPresent(process -> {
                s.process = process;
                log("started " + runtime.component() + " pod " + name + " on " + pod.getStatus().getPodIP());
            });
        } catch (RuntimeException e) {
            // Runs on an executor: without this the failure would vanish and tests would only see a timeout.
            log("cannot start pod " + name + ": " + e.getMessage());
            e.printStackTrace();
        }
    }

    private void remove(String name) {
        Supervised s = pods.remove(name);
        if (s != null && s.process != null) {
            s.process.kill();
            log("stopped pod " + name);
        }
    }

    /** The kubelet's loop: readiness probes into the Ready condition, restarts of dead processes, starts retried. */
    private void probeAll() {
        try {
            pods.forEach((name, s) -> {
                PodProcess process = s.process;
                boolean ready = process != null && process.probeReady();
                // Compared with the pod as last observed too: kwok writes its own Ready=True into a Running pod's
                // status, and a write of kwok's that lands after ours must not stand.
                if (s.reportedReady == null || s.reportedReady != ready || readyCondition(s.pod) != ready) {
                    if (reportReadiness(s.pod, ready)) {
                        s.reportedReady = ready;
                    }
                }
                if (process != null && !process.isAlive()) {
                    if (s.diedAt == null) {
                        s.diedAt = Instant.now();
                        log("the process of pod " + name + " died");
                    } else if (Instant.now().isAfter(s.diedAt.plus(RESTART_DELAY))) {
                        queue(s, () -> {
                            log("restarting the process of pod " + name);
                            process.restart();
                        });
                    }
                } else if (process == null) {
                    queue(s, () -> sync(s.pod)); // its Secret or ConfigMap may exist by now
                } else {
                    s.diedAt = null;
                }
            });
        } catch (RuntimeException e) {
            log("probe loop: " + e);
        }
    }

    private void queue(Supervised s, Runnable work) {
        if (s.queued.compareAndSet(false, true)) {
            starterOf(s.pod).submit(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log("pod " + s.pod.getMetadata().getName() + ": " + e.getMessage());
                } finally {
                    s.queued.set(false);
                }
            });
        }
    }

    private static boolean readyCondition(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private boolean reportReadiness(Pod pod, boolean ready) {
        String status = ready ? "True" : "False";
        String reason = ready ? "ProbeSucceeded" : "ReadinessProbeFailed";
        String now = Instant.now().toString();
        String patch = """
                {"status":{"conditions":[
                  {"type":"Ready","status":"%1$s","reason":"%2$s","lastTransitionTime":"%3$s"},
                  {"type":"ContainersReady","status":"%1$s","reason":"%2$s","lastTransitionTime":"%3$s"}]}}
                """.formatted(status, reason, now);
        try {
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            return false; // deleted meanwhile, or the API server is busy: the next round tries again
        }
    }

    private static void log(String message) {
        System.out.println("[pods] " + message);
    }

    @Override
    public void close() {
        informer.close();
        kubelet.shutdownNow();
        starters.forEach(ExecutorService::shutdownNow);
        pods.values().forEach(s -> {
            if (s.process != null) {
                s.process.kill();
            }
        });
        pods.clear();
    }
}
