package org.w4r.testsupport;

import org.awaitility.core.ConditionTimeoutException;

import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway database that a service under test reaches through a {@link TcpProxy}, so an outage test can cut, hold
 * or half-answer its connections while the test itself reads the database directly.
 *
 * <p>A Quarkus test profile and the test class are loaded by different class loaders, so each would make its own
 * database and proxy. What they share lives in the JVM: the database's URL in a system property and the proxy in
 * the platform MBean server, both under the given name, reached through {@link Proxy} (JDK types only).
 */
public final class ProxiedDatabase {
    private final String directUrl;
    private final Proxy proxy;

    /** What a test does to the proxy; see {@link TcpProxy}. */
    public interface Proxy {
        void cut();

        void pause();

        /** See {@link TcpProxy#freeze()}. */
        void freeze();

        void resume();

        /** See {@link TcpProxy#cutOnReplyTo(byte[], byte[])}; {@code precededBy} may be null. */
        void cutOnReplyTo(String marker, String precededBy);

        int getCutsOnReply();

        int getPort();
    }

    public static final class Control implements Proxy {
        private final TcpProxy proxy;

        Control(TcpProxy proxy) {
            this.proxy = proxy;
        }

        @Override
        public void cut() {
            proxy.cut();
        }

        @Override
        public void pause() {
            proxy.pause();
        }

        @Override
        public void freeze() {
            proxy.freeze();
        }

        @Override
        public void resume() {
            proxy.resume();
        }

        @Override
        public void cutOnReplyTo(String marker, String precededBy) {
            proxy.cutOnReplyTo(marker.getBytes(StandardCharsets.US_ASCII),
                    precededBy == null ? null : precededBy.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public int getCutsOnReply() {
            return proxy.cutsOnReply();
        }

        @Override
        public int getPort() {
            return proxy.port();
        }
    }

    private ProxiedDatabase(String directUrl, Proxy proxy) {
        this.directUrl = directUrl;
        this.proxy = proxy;
    }

    /** The database and proxy called {@code name}, made on the first call in this JVM, from any class loader. */
    public static ProxiedDatabase named(String name) {
        PostgresServer server = PostgresServer.shared();
        String url = (String) System.getProperties().computeIfAbsent("w4r.test.proxied-database." + name,
                k -> server.createDatabase(name + "_proxied"));
        try {
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            ObjectName objectName = new ObjectName("org.w4r.test:type=TcpProxy,name=" + name);
            synchronized (MBeanServer.class) { // one lock every class loader sees
                if (!beans.isRegistered(objectName)) {
                    beans.registerMBean(new StandardMBean(new Control(TcpProxy.inFrontOf(url)), Proxy.class), objectName);
                }
            }
            return new ProxiedDatabase(url, JMX.newMBeanProxy(beans, objectName, Proxy.class));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    public Proxy proxy() {
        return proxy;
    }

    /**
     * Runs {@code calls} on {@code threads} threads while the service's connections are cut, round after round: the
     * reply to the next COMMIT of a transaction that sent {@code precededBy} (PostgreSQL commits it, the service never
     * hears back), and every {@code cutAllEvery}th round everything in flight, at any point of its transaction.
     * Returns the calls' results in order, once all have returned and the cutting has stopped.
     */
    public static <R> List<R> callWhileCuttingCommits(Proxy proxy, String precededBy, int cutAllEvery, int threads,
                                                      List<Supplier<R>> calls) {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> cutting = CompletableFuture.runAsync(
                () -> cutCommitsUntil(proxy, precededBy, cutAllEvery, done::get));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<R>> running = calls.stream().map(c -> CompletableFuture.supplyAsync(c, pool)).toList();
            return running.stream().map(CompletableFuture::join).toList();
        } finally {
            done.set(true);
            pool.shutdown();
            cutting.join();
        }
    }

    private static void cutCommitsUntil(Proxy proxy, String precededBy, int cutAllEvery, BooleanSupplier done) {
        for (int round = 1; !done.getAsBoolean(); round++) {
            int before = proxy.getCutsOnReply();
            proxy.cutOnReplyTo("COMMIT", precededBy);
            try {
                await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(10))
                        .until(() -> proxy.getCutsOnReply() != before || done.getAsBoolean());
            } catch (ConditionTimeoutException e) {
                // nothing committed in that time: arm the next cut anyway
            }
            Pause.pause(150);
            if (round % cutAllEvery == 0) {
                proxy.cut();
                Pause.pause(150);
            }
        }
    }

    /**
     * Runs {@code call} while PostgreSQL is silent ({@link TcpProxy#freeze()}: its host died, nothing is closed,
     * nothing answered) and returns its result once it has returned; then new connections work again and the frozen
     * ones stay dead. First {@code pooled} connections are taken from and given back to {@code pool}, so that the
     * pool holds as many open connections as load leaves it, each to be found dead, and each is checked to wait for
     * an answer no longer than {@link #SOCKET_TIMEOUT_SECONDS}.
     */
    public static <R> R callWhileFrozen(Proxy proxy, DataSource pool, int pooled, Supplier<R> call) throws SQLException {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < pooled; i++) {
                Connection c = pool.getConnection();
                open.add(c);
                if (c.getNetworkTimeout() != SOCKET_TIMEOUT_SECONDS * 1000) {
                    throw new IllegalStateException("the driver's wait for an answer is " + c.getNetworkTimeout()
                            + " ms, not the proxied profile's " + SOCKET_TIMEOUT_SECONDS + " s");
                }
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        proxy.freeze();
        try {
            CompletableFuture<R> silent = CompletableFuture.supplyAsync(call);
            // without a socket timeout the call waits as long as the connection stays open: a generous bound
            await().atMost(Duration.ofSeconds(3L * SOCKET_TIMEOUT_SECONDS)).until(silent::isDone);
            return silent.join();
        } finally {
            proxy.resume();
        }
    }

    /** The database itself, for the test's own reads: never through the proxy. */
    public String directUrl() {
        return directUrl;
    }

    public Connection direct() throws SQLException {
        return PostgresServer.shared().connect(directUrl);
    }

    /** How long the service's driver waits for any answer through the proxy (the kit's default is 60). */
    public static final int SOCKET_TIMEOUT_SECONDS = 30;

    /**
     * How long PostgreSQL lets a session of the service sit idle inside a transaction through the proxy before it ends
     * it (the kit's default is 60).
     */
    public static final int IDLE_IN_TRANSACTION_SECONDS = 10;

    /** The service's datasource through the proxy. */
    public Map<String, String> datasourceConfig() {
        PostgresServer server = PostgresServer.shared();
        return Map.of(
                "quarkus.datasource.jdbc.url", directUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.getPort() + "/"),
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password(),
                // every COMMIT goes out as text (not a server-prepared statement), so the proxy can see it
                "quarkus.datasource.jdbc.additional-jdbc-properties.prepareThreshold", "0",
                // the kit's 60 s wait for an answer, shortened so that a test of a silent database (TcpProxy.freeze)
                // waits half a minute, not two; above what a test holds a lock for while writers wait on it
                "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS),
                // the kit's session settings with the server's wait for a silent transaction shortened the same way;
                // its TCP probes are left out: the server's peer here is the proxy, which always answers them
                "quarkus.datasource.jdbc.additional-jdbc-properties.options",
                "-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION_SECONDS + "s",
                // a loaded test machine answers slowly while connections are cut and re-made
                "quarkus.http.test-timeout", "120S");
    }
}
