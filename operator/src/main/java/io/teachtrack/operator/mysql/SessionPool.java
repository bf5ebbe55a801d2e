package io.teachtrack.operator.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions kept open from one pass to the next, per owner (a TeachTrack): a pass pings the server on the session the
 * previous pass used instead of opening a new connection (a TLS handshake and a login per server and poll). A session
 * is found again by server, user and password, so a rotated password opens a new one. A pass ends by closing what it
 * did not use — servers gone, passwords replaced — and owners no pass has come for in a while are closed by the next
 * pass of any owner.
 *
 * <p>One pass per owner at a time (the SDK never reconciles one resource on two threads); owners run in parallel.
 */
public final class SessionPool implements AutoCloseable {

    /** Opens a new session. */
    @FunctionalInterface
    public interface Opener {
        SqlSession open(String host, int port, String user, String password) throws SQLException;
    }

    /** The password only as a digest, so that no key holds or prints it. */
    private record Key(String host, int port, String user, String passwordDigest) {
    }

    /** What an owner's last pass handed back (the pass is over: the map is no longer shared), and when. */
    private record Idle(Map<Key, SqlSession> sessions, Instant since) {
        void discard() {
            sessions.values().forEach(SqlSession::discard);
        }
    }

    private final Opener opener;
    private final Duration pingTimeout;
    private final Duration abandonedAfter;
    private final Clock clock;
    private final ConcurrentMap<String, Idle> idle = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();

    /**
     * @param pingTimeout    how long a kept session may take to answer its ping before a new connection is tried
     * @param abandonedAfter how long an owner's sessions stay open without a pass (its TeachTrack was deleted)
     */
    public SessionPool(Opener opener, Duration pingTimeout, Duration abandonedAfter, Clock clock) {
        this.opener = opener;
        this.pingTimeout = pingTimeout;
        this.abandonedAfter = abandonedAfter;
        this.clock = clock;
    }

    /** Starts a pass for {@code owner}: it takes over the sessions the owner's previous pass left. */
    public Pass pass(String owner) {
        closeAbandoned();
        Idle left = idle.remove(owner);
        return new Pass(owner, left == null ? new HashMap<>() : left.sessions());
    }

    /** Sessions opened since the pool started. */
    public long opened() {
        return opened.get();
    }

    /** Sessions a pass took over from the previous one. */
    public long reused() {
        return reused.get();
    }

    private void closeAbandoned() {
        Instant limit = clock.instant().minus(abandonedAfter);
        idle.forEach((owner, left) -> {
            if (left.since().isBefore(limit) && idle.remove(owner, left)) {
                left.discard();
            }
        });
    }

    @Override
    public void close() {
        idle.keySet().forEach(owner -> {
            Idle left = idle.remove(owner);
            if (left != null) {
                left.discard();
            }
        });
    }

    /** One owner's pass: sessions it opens are handed back when closed, and kept for the next pass when it ends. */
    public final class Pass implements AutoCloseable {
        private final String owner;
        private final Map<Key, SqlSession> previous;
        private final Map<Key, SqlSession> returned = new HashMap<>();
        private boolean ended;

        private Pass(String owner, Map<Key, SqlSession> previous) {
            this.owner = owner;
            this.previous = previous;
        }

        /** The previous pass's session to this server as this user, if it still answers; else a new one. */
        public synchronized SqlSession open(String host, int port, String user, String password) throws SQLException {
            Key key = new Key(host, port, user, digest(password));
            SqlSession session = previous.remove(key);
            if (session != null && !session.usable(pingTimeout)) {
                session.discard();
                session = null;
            }
            if (session == null) {
                session = opener.open(host, port, user, password);
                opened.incrementAndGet();
            } else {
                reused.incrementAndGet();
            }
            session.returnOnClose(back -> handBack(key, back));
            return session;
        }

        private synchronized void handBack(Key key, SqlSession session) {
            // After the pass ended its map belongs to the next pass: a session closed that late is not kept.
            SqlSession other = ended ? null : returned.putIfAbsent(key, session);
            if (ended || other != null && other != session) {
                session.discard();
            }
        }

        /** Keeps what this pass handed back, closes what it did not use. */
        @Override
        public synchronized void close() {
            ended = true;
            previous.values().forEach(SqlSession::discard);
            previous.clear();
            if (!returned.isEmpty()) {
                Idle replaced = idle.put(owner, new Idle(returned, clock.instant()));
                if (replaced != null) {
                    replaced.discard();
                }
            }
        }
    }

    private static String digest(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
