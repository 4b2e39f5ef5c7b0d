package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.ReferenceDataResource;
import org.w4r.testsupport.TcpProxy;

import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test profile whose service reaches its throwaway database through a {@link TcpProxy}, so a test can cut, hold
 * or half-answer its connections, and whose log goes to a file a test can search for personal data.
 */
public class ProxiedDatabase implements QuarkusTestProfile {
    static final PostgresServer SERVER = PostgresServer.shared();
    // The profile and the test class are loaded by different class loaders: what they share lives in the JVM's
    // system properties, made once.
    /** The database itself, for the test's own checks (never through the proxy). */
    static final String DIRECT_URL = (String) System.getProperties()
            .computeIfAbsent("w4r.test.proxied.url", k -> SERVER.createDatabase("petition_proxied"));
    static final Path LOG = Path.of(System.getProperties().computeIfAbsent("w4r.test.proxied.log",
            k -> Path.of("target", "proxied-database-" + UUID.randomUUID() + ".log").toAbsolutePath().toString()).toString());
    /** The proxy, from either class loader: one instance, reached through the platform MBean server by name. */
    static final Proxy PROXY = proxy();

    /** What a test does to the proxy; only JDK types, so it works across class loaders. */
    public interface Proxy {
        void cut();

        void pause();

        void resume();

        /** See {@link TcpProxy#cutOnReplyTo(byte[], byte[])}. */
        void cutOnReplyTo(String marker, String precededBy);

        int getCutsOnReply();

        int getPort();
    }

    public static final class Control implements Proxy {
        private final TcpProxy proxy;

        Control(TcpProxy proxy) {
            this.proxy = proxy;
        }

        public void cut() {
            proxy.cut();
        }

        public void pause() {
            proxy.pause();
        }

        public void resume() {
            proxy.resume();
        }

        public void cutOnReplyTo(String marker, String precededBy) {
            proxy.cutOnReplyTo(marker.getBytes(StandardCharsets.US_ASCII),
                    precededBy == null ? null : precededBy.getBytes(StandardCharsets.US_ASCII));
        }

        public int getCutsOnReply() {
            return proxy.cutsOnReply();
        }

        public int getPort() {
            return proxy.port();
        }
    }

    private static synchronized Proxy proxy() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("org.w4r.test:type=TcpProxy,name=petition-database");
            synchronized (MBeanServer.class) { // one lock both class loaders see
                if (!server.isRegistered(name)) {
                    server.registerMBean(new StandardMBean(new Control(TcpProxy.inFrontOf(DIRECT_URL)), Proxy.class), name);
                }
            }
            return JMX.newMBeanProxy(server, name, Proxy.class);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.datasource.jdbc.url", DIRECT_URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + PROXY.getPort() + "/")),
                Map.entry("quarkus.datasource.username", SERVER.username()),
                Map.entry("quarkus.datasource.password", SERVER.password()),
                // every COMMIT goes out as text (not a server-prepared statement), so the proxy can see it
                Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.prepareThreshold", "0"),
                // a loaded test machine answers slowly while connections are cut and re-made
                Map.entry("quarkus.http.test-timeout", "120S"),
                Map.entry("quarkus.log.file.enabled", "true"),
                Map.entry("quarkus.log.file.path", LOG.toAbsolutePath().toString()),
                Map.entry("quarkus.log.file.level", "ALL"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(ReferenceDataResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true; // the global throwaway database would replace the proxied one
    }

    static Connection direct() throws SQLException {
        return PostgresServer.connect(DIRECT_URL, SERVER.username(), SERVER.password());
    }
}
