package org.w4r.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy for outage tests: put it between a service and its database, then cut every open connection, hold new
 * ones, or let a command through and cut before its answer comes back (the server did the work, the client never
 * learns). Hand-written because netcrusher, the usual tool for this, does not resolve from Maven Central.
 *
 * <p>Blocking sockets and two threads per connection: tests open a few dozen connections, not thousands.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Socket> held = new ArrayList<>();
    private final AtomicReference<Trigger> cutOnReply = new AtomicReference<>();
    private final AtomicInteger cutsOnReply = new AtomicInteger();
    private volatile boolean paused;
    /** Set by {@link #freeze()} until {@link #resume()}: a link made meanwhile is silent from its start. */
    private boolean frozen;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on a local port", e);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of the host and port of a {@code jdbc:postgresql://host:port/db} URL. */
    public static TcpProxy inFrontOf(String jdbcUrl) {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        String hostPort = rest.substring(0, rest.indexOf('/'));
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? new TcpProxy(hostPort, 5432)
                : new TcpProxy(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The same JDBC URL, through this proxy. */
    public String route(String jdbcUrl) {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        return jdbcUrl.substring(0, jdbcUrl.indexOf("//") + 2) + "127.0.0.1:" + port() + rest.substring(rest.indexOf('/'));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes both sides of every open connection at once, and every held one, as a dead network would. */
    public void cut() {
        List<Link> open = new ArrayList<>(links);
        open.forEach(Link::close);
        synchronized (held) {
            held.forEach(TcpProxy::closeQuietly);
            held.clear();
        }
    }

    /** New connections are accepted but get no answer (a server that does not respond) until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    /**
     * The network goes silent without closing anything, as when the database's host dies or is cut off (no reset
     * comes back): every open connection stays open and nothing crosses it any more, in either direction, ever; new
     * connections are held unanswered, as by {@link #pause()}, until {@link #resume()}. After it the frozen
     * connections stay silent: the server that held them is gone.
     */
    public void freeze() {
        synchronized (held) {
            paused = true;
            frozen = true;
            links.forEach(Link::freeze);
        }
    }

    /** Forwards new connections again, the held ones first. */
    public void resume() {
        List<Socket> waiting;
        synchronized (held) {
            paused = false;
            frozen = false;
            waiting = new ArrayList<>(held);
            held.clear();
        }
        waiting.forEach(this::forward);
    }

    /**
     * Once: the next connection whose client sends {@code marker} gets it through to the server, and is cut when the
     * server answers, before the answer reaches the client. With a database's COMMIT, the transaction is committed
     * and the client cannot know it.
     */
    public void cutOnReplyTo(byte[] marker) {
        cutOnReplyTo(marker, null);
    }

    /**
     * As {@link #cutOnReplyTo(byte[])}, but only a {@code marker} sent after {@code precededBy} on its connection, both
     * since this call: "the COMMIT of a transaction that inserted a signature". Each marker, and each {@code ROLLBACK},
     * starts over: a pooled connection whose last transaction sent {@code precededBy} and rolled back (a refused
     * duplicate) once had its next transaction's COMMIT cut instead, a background job's or another request's, and the
     * request under test was answered 201 (case-service's DatabaseOutageTest, CI of 3 December).
     */
    public void cutOnReplyTo(byte[] marker, byte[] precededBy) {
        cutOnReply.set(new Trigger(marker.clone(), precededBy == null ? null : precededBy.clone()));
    }

    /** How many connections {@link #cutOnReplyTo} has cut so far. */
    public int cutsOnReply() {
        return cutsOnReply.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cut();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            synchronized (held) {
                if (paused) {
                    held.add(client);
                    continue;
                }
            }
            forward(client);
        }
    }

    private void forward(Socket client) {
        Socket target;
        try {
            target = new Socket(targetHost, targetPort);
            target.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        Link link = new Link(client, target);
        synchronized (held) { // a link forwarded while freeze() runs is frozen too, never left talking
            links.add(link);
            if (frozen) {
                link.freeze();
            }
        }
        link.start();
    }

    /** One proxied connection: a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket target;
        private volatile boolean markerSent;
        /** Nothing crosses any more: what arrives is read and dropped, so neither side sees an error. */
        private volatile boolean silent;
        /** The trigger under which this connection sent its {@code precededBy}, in its current transaction. */
        private Trigger precededUnder;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() {
            Thread up = new Thread(() -> pump(client, target, true), "tcp-proxy-up-" + port());
            Thread down = new Thread(() -> pump(target, client, false), "tcp-proxy-down-" + port());
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (silent) {
                        continue;
                    }
                    if (!fromClient && markerSent) {
                        cutsOnReply.incrementAndGet();
                        close(); // the server has answered the marked command: the client never sees it
                        return;
                    }
                    if (fromClient && !markerSent) {
                        watch(buffer, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other pump, cut() or a peer closed the connection
            } finally {
                close();
            }
        }

        private void watch(byte[] buffer, int n) {
            Trigger trigger = cutOnReply.get();
            if (trigger == null) {
                return;
            }
            if (trigger.precededBy() != null && contains(buffer, n, trigger.precededBy())) {
                precededUnder = trigger;
            }
            if (contains(buffer, n, trigger.marker())) {
                boolean armed = trigger.precededBy() == null || precededUnder == trigger;
                precededUnder = null;
                if (armed && cutOnReply.compareAndSet(trigger, null)) {
                    markerSent = true; // before it leaves: the answer may come back at once
                }
            } else if (contains(buffer, n, ROLLBACK)) {
                precededUnder = null;
            }
        }

        void freeze() {
            silent = true;
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(target);
        }
    }

    private record Trigger(byte[] marker, byte[] precededBy) {
    }

    private static final byte[] ROLLBACK = "ROLLBACK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + targetHost + ":" + targetPort + "]";
    }
}
