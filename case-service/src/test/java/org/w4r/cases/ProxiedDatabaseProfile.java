package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.ProxiedDatabase;

import java.util.List;
import java.util.Map;

/** case-service reaching its throwaway database through a TCP proxy the test can cut (test-support). */
public class ProxiedDatabaseProfile implements QuarkusTestProfile {
    static final ProxiedDatabase DATABASE = ProxiedDatabase.named("cases");

    @Override
    public Map<String, String> getConfigOverrides() {
        return DATABASE.datasourceConfig();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true; // the global throwaway database would replace the proxied one
    }
}
