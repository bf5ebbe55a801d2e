package io.teachtrack.operator.testing;

import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.mysql.SqlSession;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Samples, every 200 ms, which database servers could complete a client's commit: writable, accepting clients (not in
 * MySQL's offline mode, which a fence sets first), and either not waiting for acknowledgements or with enough replicas
 * receiving from them (as the replicas see it: a source that lost its replicas may not know yet). A server that does
 * not answer completes nothing either. Two at once is split brain. Samples where a second server was writable only for
 * administrators (offline mode: a fence under way) are counted apart.
 */
public final class CommitSampler implements AutoCloseable {

    /** A server as the sampler reaches it; replicas name their source by {@code host}, by {@code name} or by a DNS name under it. */
    public record Server(String name, String host, int port) {
        boolean isSourceOf(ReplicaState replica) {
            String source = replica.sourceHost();
            return source != null && (source.equals(host) || source.equals(name) || source.startsWith(name + "."))
                    && (replica.sourcePort() == null || replica.sourcePort() == port);
        }
    }

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private final Supplier<List<Server>> servers;
    private final String rootPassword;
    private final Dialect dialect;
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger mostThatCouldCommit = new AtomicInteger();
    private final List<String> splitBrain = new ArrayList<>();
    private final AtomicInteger fencingSamples = new AtomicInteger();
    private final RepeatingTask task;

    private CommitSampler(Supplier<List<Server>> servers, String rootPassword, Dialect dialect) {
        this.servers = servers;
        this.rootPassword = rootPassword;
        this.dialect = dialect;
        this.task = RepeatingTask.start("commit-sampler", this::sampleAndWait);
    }

    /** Starts sampling the servers {@code servers} lists at each sample (pods come and go). */
    public static CommitSampler start(Supplier<List<Server>> servers, String rootPassword, Dialect dialect) {
        return new CommitSampler(servers, rootPassword, dialect);
    }

    @Override
    public void close() {
        task.close();
    }

    public int samples() {
        return samples.get();
    }

    /** Samples where a second server was writable but refused clients: a fence between its steps. */
    public int fencingSamples() {
        return fencingSamples.get();
    }

    /** The moments at which more than one server could complete a commit, with the servers. */
    public List<String> splitBrainSamples() {
        synchronized (splitBrain) {
            return List.copyOf(splitBrain);
        }
    }

    public void assertNeverTwoServersCouldCommit() {
        assertThat(splitBrainSamples()).as("samples where two servers could complete a commit").isEmpty();
        assertThat(mostThatCouldCommit.get()).as("some sample saw the primary able to commit").isEqualTo(1);
    }

    private void sampleAndWait() {
        sample();
        samples.incrementAndGet();
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        List<Server> seen = servers.get();
        Map<Server, Boolean> writable = new HashMap<>();
        Map<Server, Boolean> refusingClients = new HashMap<>();
        Map<Server, SemiSync> semiSync = new HashMap<>();
        List<ReplicaState> receiving = new ArrayList<>();
        for (Server server : seen) {
            try (SqlSession s = SqlSession.open(server.host(), server.port(), DatabaseCredentials.ROOT_USER, rootPassword,
                    Duration.ofMillis(500), Duration.ofSeconds(1))) {
                boolean isWritable = s.queryLong(dialect.readOnlyQuery()) == 0;
                // MariaDB has no offline mode: no row.
                Map<String, Object> offline = s.queryRow("SHOW GLOBAL VARIABLES LIKE 'offline_mode'");
                SemiSync waits = dialect.semiSync(s);
                ReplicaState replica = dialect.parseReplicaStatus(s.queryRow(dialect.replicaStatus()));
                // Recorded only once every answer is in: a server that dies mid-sample completes no commit.
                writable.put(server, isWritable);
                refusingClients.put(server, offline != null && "ON".equalsIgnoreCase(String.valueOf(offline.get("Value"))));
                semiSync.put(server, waits);
                if (replica.ioRunning()) {
                    receiving.add(replica);
                }
            } catch (SQLException | RuntimeException e) {
                // not answering: it completes no commit
            }
        }
        List<Server> committing = writable.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .filter(server -> !semiSync.get(server).enabled()
                        || receiving.stream().filter(server::isSourceOf).count() >= semiSync.get(server).waitForReplicas())
                .toList();
        List<String> couldCommit = committing.stream().filter(server -> !refusingClients.get(server)).map(Server::name).toList();
        if (committing.size() > 1 && couldCommit.size() <= 1) {
            fencingSamples.incrementAndGet();
        }
        mostThatCouldCommit.accumulateAndGet(couldCommit.size(), Math::max);
        if (couldCommit.size() > 1) {
            synchronized (splitBrain) {
                splitBrain.add(System.currentTimeMillis() + ": " + couldCommit);
            }
        }
    }
}
