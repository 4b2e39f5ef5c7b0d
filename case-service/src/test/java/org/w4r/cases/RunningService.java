package org.w4r.cases;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.kit.outbox.OutboxRelay;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;

/**
 * What a test of the running service shares: the real broker and a throwaway database (one Quarkus application for
 * every such test), the database as the test reads it directly, and the outbox relay a test waits on before it looks
 * at a topic.
 */
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
abstract class RunningService {
    @Inject
    AgroalDataSource db;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;
}
