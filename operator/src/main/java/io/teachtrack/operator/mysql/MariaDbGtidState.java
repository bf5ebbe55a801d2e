package io.teachtrack.operator.mysql;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MariaDB GTID state such as {@code gtid_binlog_state}: the last sequence number per (domain, server id),
 * written {@code 0-1-100,0-101-3}. MariaDB has no GTID set functions, so comparisons happen here.
 */
public final class MariaDbGtidState {

    private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

    /** Key of one origin of transactions: a replication domain and the server that wrote them. */
    public record Origin(long domain, long serverId) implements Comparable<Origin> {
        @Override
        public int compareTo(Origin o) {
            int d = Long.compare(domain, o.domain);
            return d != 0 ? d : Long.compare(serverId, o.serverId);
        }
    }

    private final Map<Origin, Long> lastSequence;

    private MariaDbGtidState(Map<Origin, Long> lastSequence) {
        this.lastSequence = Collections.unmodifiableMap(lastSequence);
    }

    public static MariaDbGtidState parse(String text) {
        Map<Origin, Long> state = new TreeMap<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                var m = GTID.matcher(part.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a MariaDB GTID: '" + part.trim() + "'");
                }
                Origin origin = new Origin(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                state.merge(origin, Long.parseLong(m.group(3)), Math::max);
            }
        }
        return new MariaDbGtidState(state);
    }

    public boolean isEmpty() {
        return lastSequence.isEmpty();
    }

    public Map<Origin, Long> lastSequence() {
        return lastSequence;
    }

    /**
     * The transactions this state has that {@code other} lacks: for each origin, the part beyond the other's
     * last sequence number (an origin the other never saw counts whole). Empty when other covers this.
     */
    public MariaDbGtidState notIn(MariaDbGtidState other) {
        Map<Origin, Long> missing = new TreeMap<>();
        lastSequence.forEach((origin, seq) -> {
            Long theirs = other.lastSequence.get(origin);
            if (theirs == null || theirs < seq) {
                missing.put(origin, seq);
            }
        });
        return new MariaDbGtidState(missing);
    }

    /** This state without the transactions that came from the given server. */
    public MariaDbGtidState notFrom(long serverId) {
        Map<Origin, Long> others = new TreeMap<>(lastSequence);
        others.keySet().removeIf(o -> o.serverId() == serverId);
        return new MariaDbGtidState(others);
    }

    /** Whether every transaction in this state came from the given server. */
    public boolean onlyFrom(long serverId) {
        return lastSequence.keySet().stream().allMatch(o -> o.serverId() == serverId);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        lastSequence.forEach((o, seq) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(o.domain()).append('-').append(o.serverId()).append('-').append(seq);
        });
        return text.toString();
    }
}
