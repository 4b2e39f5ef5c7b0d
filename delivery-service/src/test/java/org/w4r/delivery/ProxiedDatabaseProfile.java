package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.ReferenceDataResource;

import java.util.List;
import java.util.Map;

/** delivery-service reaching its throwaway database through a TCP proxy the test can cut (test-support). */
public class ProxiedDatabaseProfile implements QuarkusTestProfile {
    static final ProxiedDatabase DATABASE = ProxiedDatabase.named("delivery");

    @Override
    public Map<String, String> getConfigOverrides() {
        return DATABASE.datasourceConfig();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(ReferenceDataResource.class),
                new TestResourceEntry(PetitionStub.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true; // the global throwaway database would replace the proxied one
    }
}
