package io.teachtrack.api.db;

import io.teachtrack.api.config.AppConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pool per replica server. The replica URL names the replicas' headless Service, whose DNS name lists the pods
 * the operator currently lets serve reads: it is resolved again every discovery interval, a pool opens for each new
 * address and closes for each one that left. Each server is then judged on its own heartbeat ({@link ReplicaMonitor}),
 * so a read never reaches a replica that is behind just because another one is not.
 */
@ApplicationScoped
public class ReplicaPools {

    private static final Logger LOG = Logger.getLogger(ReplicaPools.class);

    /** Resolves a host to its current addresses; a name with none resolves to an empty set. */
    @FunctionalInterface
    interface Resolver {
        List<String> addresses(String host) throws UnknownHostException;
    }

    private final Optional<ReplicaUrl> url;
    private final Databases databases;
    private final Resolver resolver;
    private final Map<String, Replica> byAddress = new HashMap<>();
    private volatile List<Replica> current = List.of();

    @Inject
    public ReplicaPools(AppConfig config, Databases databases) {
        this(config.db().replicaUrl().map(ReplicaUrl::parse), databases,
                host -> Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).toList());
    }

    ReplicaPools(Optional<ReplicaUrl> url, Databases databases, Resolver resolver) {
        this.url = url;
        this.databases = databases;
        this.resolver = resolver;
    }

    /** Whether the operator gave replicas at all (no URL: no replicas, or the read split is off). */
    public boolean configured() {
        return url.isPresent();
    }

    /** The replica servers as of the last discovery, in a stable order. */
    public List<Replica> current() {
        return current;
    }

    /** Resolves the URL's hosts again, opening and closing pools to match. */
    synchronized void refresh() {
        if (url.isEmpty()) {
            return;
        }
        Set<String> addresses = new LinkedHashSet<>();
        for (ReplicaUrl.HostPort host : url.get().hosts()) {
            try {
                resolver.addresses(host.host()).forEach(address -> addresses.add(key(address, host.port())));
            } catch (UnknownHostException e) {
                // A headless Service with no ready replica has no DNS record: no replica serves reads.
                LOG.debugf("replica host %s has no address: %s", host.host(), e.getMessage());
            }
        }
        List<Replica> leaving = new ArrayList<>();
        byAddress.keySet().removeIf(address -> {
            if (!addresses.contains(address)) {
                leaving.add(byAddress.get(address));
                return true;
            }
            return false;
        });
        for (String address : addresses) {
            byAddress.computeIfAbsent(address, this::open);
        }
        current = byAddress.values().stream().sorted(Comparator.comparing(Replica::address)).toList();
        leaving.forEach(replica -> {
            LOG.infof("replica %s left the replicas' Service: its pool closes", replica.address());
            replica.close();
        });
    }

    private Replica open(String address) {
        LOG.infof("replica %s joined the replicas' Service: its pool opens", address);
        int colon = address.lastIndexOf(':');
        String jdbcUrl = url.orElseThrow().forAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        return new Replica(address, databases.replicaPool("replica-" + address, jdbcUrl));
    }

    private static String key(String address, int port) {
        return address + ":" + port;
    }

    @PreDestroy
    synchronized void close() {
        byAddress.values().forEach(Replica::close);
        byAddress.clear();
        current = List.of();
    }
}
