package io.teachtrack.api.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address a request comes from, for rate limits: the connection's peer, unless that peer is one of the configured
 * trusted proxies ({@code TEACHTRACK_RATE_LIMIT_TRUSTED_PROXIES}, CIDRs); then the nearest address in {@code X-Forwarded-For}
 * that is not itself a trusted proxy. A header from anyone else is ignored, so a client cannot pick its own bucket.
 */
public final class ClientAddress {

    private final List<Cidr> trusted;

    public ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    public String of(String peer, String forwardedFor) {
        if (peer == null || trusted.isEmpty() || forwardedFor == null || !isTrusted(peer)) {
            return peer == null ? "unknown" : peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        return parse(address).map(ip -> trusted.stream().anyMatch(cidr -> cidr.contains(ip))).orElse(false);
    }

    /** Literal addresses only: a name would mean a DNS lookup per request. */
    private static Optional<InetAddress> parse(String address) {
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Cidr(byte[] network, int prefix) {

        static Cidr parse(String cidr) {
            String[] parts = cidr.split("/");
            InetAddress address = ClientAddress.parse(parts[0])
                    .orElseThrow(() -> new IllegalArgumentException("not an address or CIDR: " + cidr));
            int bits = address.getAddress().length * 8;
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
            return new Cidr(address.getAddress(), prefix);
        }

        boolean contains(InetAddress ip) {
            byte[] candidate = ip.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - prefix;
            return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
