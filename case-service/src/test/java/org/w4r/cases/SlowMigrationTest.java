package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.fixtures.ProxiedProfile;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migration that runs longer than the server lets a session sit idle inside a transaction (the kit's 60 s; 10 s in
 * the proxied profile): Flyway's lock must not be held on such a session, or the server ends it and the migration
 * fails at every start (service-kit {@code FlywayLock}). Here the migration sleeps 12 s; the service starts.
 */
@QuarkusTest
@TestProfile(SlowMigrationTest.Profile.class)
class SlowMigrationTest {
    static final ProxiedDatabase DATABASE = ProxiedDatabase.named("cases_slow_migration");

    public static class Profile extends ProxiedProfile {
        public Profile() {
            super(DATABASE);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("quarkus.flyway.locations", "db/migration,db/outbox,db/audit,db/slow-migration");
            return config;
        }
    }

    @Test
    void aMigrationLongerThanTheServersIdleLimitIsAppliedAndTheServiceStarts() throws Exception {
        try (Connection c = DATABASE.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select success from flyway_schema_history where version = '9000'")) {
            assertTrue(rs.next() && rs.getBoolean(1), "the 12 s migration is recorded as applied");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
