package org.w4r.petition.service;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The limits production reads: the service's application.properties under the prod profile (the test profile's own
 * figures do not leak into it), an entity's own figures replacing the defaults one by one, and each instance's share.
 */
class LimitSettingsTest {
    static LimitSettings settings(Map<String, String> deployed) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(LimitSettingsTest.class.getResource("/application.properties"), 100))
                .withSources(new PropertiesConfigSource(deployed, "deployed", 300))
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "1s", as the service reads it
                .withProfile("prod")
                .withMapping(LimitSettings.class)
                .build();
        return config.getConfigMapping(LimitSettings.class);
    }

    @Test
    void productionReadsTheDefaults() throws IOException {
        LimitSettings limits = settings(Map.of());
        assertEquals(new LimitSettings.Limit(1000, Duration.ofSeconds(1), 10000), limits.entityLimit("ai-france"));
        assertEquals(new LimitSettings.Limit(1000, Duration.ofSeconds(1), 10000), limits.emailDomainLimit("ai-france"));
        assertEquals(new LimitSettings.Limit(1000, Duration.ofSeconds(1), 10000), limits.entityLimit("limits-burst"),
                "the test profile's overrides are not production's");
        assertEquals(Duration.ofSeconds(10), limits.heartbeat());
    }

    @Test
    void anEntitysOwnFiguresReplaceTheDefaultsOneByOne() throws IOException {
        LimitSettings limits = settings(Map.of("w4r.limits.entity.\"ai-france\".rate", "400",
                "w4r.limits.entity.\"ai-france\".email-domain-burst", "50"));
        assertEquals(new LimitSettings.Limit(400, Duration.ofSeconds(1), 10000), limits.entityLimit("ai-france"));
        assertEquals(new LimitSettings.Limit(1000, Duration.ofSeconds(1), 50), limits.emailDomainLimit("ai-france"));
        assertEquals(new LimitSettings.Limit(1000, Duration.ofSeconds(1), 10000), limits.entityLimit("ai-malta"));
    }

    @Test
    void eachInstanceTakesItsShareButAFullBatchStillFits() {
        LimitSettings.Limit entity = new LimitSettings.Limit(100, Duration.ofSeconds(1), 2000);
        assertEquals(new RateLimits.Share(2000, 100, Duration.ofSeconds(1)), RateLimits.Share.of(entity, 1, BatchService.MAX_ITEMS));
        assertEquals(new RateLimits.Share(1000, 100, Duration.ofSeconds(2)), RateLimits.Share.of(entity, 2, BatchService.MAX_ITEMS));
        assertEquals(new RateLimits.Share(1000, 100, Duration.ofSeconds(8)), RateLimits.Share.of(entity, 8, BatchService.MAX_ITEMS),
                "a burst never below a full batch");
        LimitSettings.Limit domain = new LimitSettings.Limit(25, Duration.ofSeconds(1), 500);
        assertEquals(new RateLimits.Share(63, 25, Duration.ofSeconds(8)), RateLimits.Share.of(domain, 8, 0));
        assertEquals(new RateLimits.Share(5, 5, Duration.ofHours(2)),
                RateLimits.Share.of(new LimitSettings.Limit(5, Duration.ofHours(1), 5), 2, BatchService.MAX_ITEMS),
                "a burst configured below a batch stays the limit");
    }

    @Test
    void onlyTheDomainOfAnAddressIsKept() {
        assertEquals("example.org", RateLimits.domain(" Ada.Lovelace@Example.ORG "));
        // the root's dot of a fully qualified name is the same domain: one flood's limit is not escaped with a dot
        assertEquals("example.org", RateLimits.domain("ada@example.org.."));
    }
}
