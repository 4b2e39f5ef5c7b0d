package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.ReferenceDataResource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * petition-service reaching its throwaway database through a TCP proxy the test can cut (test-support), with its log
 * in a file a test can search for personal data.
 */
public class ProxiedDatabaseProfile implements QuarkusTestProfile {
    static final ProxiedDatabase DATABASE = ProxiedDatabase.named("petition");
    static final ProxiedDatabase.Proxy PROXY = DATABASE.proxy();
    // The profile and the test class are loaded by different class loaders: the path lives in a system property
    static final Path LOG = Path.of(System.getProperties().computeIfAbsent("w4r.test.proxied.log",
            k -> Path.of("target", "proxied-database-" + UUID.randomUUID() + ".log").toAbsolutePath().toString()).toString());

    /** The database itself, for the test's own checks (never through the proxy). */
    static Connection direct() throws SQLException {
        return DATABASE.direct();
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(DATABASE.datasourceConfig());
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", LOG.toAbsolutePath().toString());
        config.put("quarkus.log.file.level", "ALL");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(ReferenceDataResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true; // the global throwaway database would replace the proxied one
    }
}
