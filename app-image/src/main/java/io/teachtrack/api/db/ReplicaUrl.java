package io.teachtrack.api.db;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replicas' JDBC URL taken apart: the hosts it names and what follows them. The operator gives one host, the
 * replicas' headless Service, whose DNS name lists every replica that may serve reads; a URL may also name several
 * hosts ({@code jdbc:mysql://a:3306,b:3306/teachtrack}). Each address becomes a server of its own.
 */
public record ReplicaUrl(List<HostPort> hosts, String pathAndQuery) {

    /** A host as written in the URL, with its port (3306 when the URL has none). */
    public record HostPort(String host, int port) {
    }

    private static final int DEFAULT_PORT = 3306;
    private static final Pattern URL = Pattern.compile("jdbc:mysql(?::loadbalance)?://([^/?]+)(.*)");

    public static ReplicaUrl parse(String url) {
        Matcher matcher = URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a MySQL JDBC URL (jdbc:mysql://host[:port][,host[:port]...]/database): " + url);
        }
        List<HostPort> hosts = new ArrayList<>();
        for (String part : matcher.group(1).split(",")) {
            hosts.add(hostPort(part.strip(), url));
        }
        return new ReplicaUrl(List.copyOf(hosts), matcher.group(2));
    }

    private static HostPort hostPort(String part, String url) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("an empty host in " + url);
        }
        if (part.startsWith("[")) { // [IPv6]:port
            int end = part.indexOf(']');
            String rest = part.substring(end + 1);
            return new HostPort(part.substring(1, end), rest.startsWith(":") ? port(rest.substring(1), url) : DEFAULT_PORT);
        }
        int colon = part.lastIndexOf(':');
        return colon < 0 ? new HostPort(part, DEFAULT_PORT) : new HostPort(part.substring(0, colon), port(part.substring(colon + 1), url));
    }

    private static int port(String text, String url) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: '" + text + "' in " + url, e);
        }
    }

    /** The URL of one server, at a resolved address. */
    public String forAddress(String address, int port) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return "jdbc:mysql://" + host + ":" + port + pathAndQuery;
    }
}
