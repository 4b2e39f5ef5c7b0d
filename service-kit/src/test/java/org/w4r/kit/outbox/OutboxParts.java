package org.w4r.kit.outbox;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.w4r.kit.KitDatabase;
import org.w4r.kit.messaging.EventPublisher;
import org.w4r.kit.messaging.KitFixtures;
import org.w4r.testsupport.KafkaBroker;

/**
 * What a relay runs against in a test: the JVM's broker with one publisher on it for the test class, and a fresh
 * outbox database for each test. Registered as a static {@code @RegisterExtension}; its database is dropped after
 * the class's own {@code @AfterEach}, so a test can stop its relays first.
 */
final class OutboxParts implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final String purpose;
    private String bootstrap;
    private EventPublisher publisher;
    private KitDatabase db;

    /** {@code purpose} names the test's databases. */
    OutboxParts(String purpose) {
        this.purpose = purpose;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        bootstrap = KafkaBroker.bootstrapServers();
        publisher = KitFixtures.publisher(bootstrap);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KitFixtures.close(publisher);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        db = new KitDatabase(purpose);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        db.close();
    }

    String bootstrap() {
        return bootstrap;
    }

    EventPublisher publisher() {
        return publisher;
    }

    KitDatabase db() {
        return db;
    }
}
