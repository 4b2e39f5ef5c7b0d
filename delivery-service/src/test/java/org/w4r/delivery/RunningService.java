package org.w4r.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;

import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * What a test of the running service shares: the real broker with the reference data on it, a throwaway database,
 * petition-service's stub (one Quarkus application for every such test), the delivery team's token, and the
 * database as the test reads it directly ({@link Rows}).
 */
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PetitionStub.class, scope = TestResourceScope.GLOBAL)
abstract class RunningService {
    static final String DELIVERY = staffToken("delivery");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    AgroalDataSource db;
}
