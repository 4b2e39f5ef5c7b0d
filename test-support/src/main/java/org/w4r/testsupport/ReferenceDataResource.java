package org.w4r.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Publishes {@link ReferenceFixtures} before the app under test starts, so its read model has them at start-up. */
public class ReferenceDataResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        ReferenceFixtures.publish(KafkaBroker.bootstrapServers());
        return Map.of();
    }

    @Override
    public void stop() {
        // compacted topics keep the fixtures; the next app start republishes the same state
    }
}
