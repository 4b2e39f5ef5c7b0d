package org.w4r.petition.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * Keys are kept two days (w4r.idempotency.retention, P2D by default), then forgotten by the hourly clean-up, which
 * this test calls itself instead of waiting an hour. Its package is the service's, to reach the scheduled method.
 */
@QuarkusTest
@WithPlatformResources
class IdempotencyRetentionTest {
    static final String BODY = "{\"caseId\":\"el-hiblu-3\",\"type\":\"postcard\"}";

    @Inject
    IdempotencyService idempotency;

    @Inject
    AgroalDataSource db;

    static Response post(String key) {
        return given().auth().oauth2(entityKey("ai-malta")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(BODY).post("/api/v1/actions");
    }

    /** A key used now, then made {@code hours} old in the database (the clean-up compares created_at). */
    String keyAged(int hours) throws SQLException {
        String key = UUID.randomUUID().toString();
        post(key).then().statusCode(202);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update idempotency_key set created_at = now() - make_interval(hours => ?) where principal = 'ai-malta' and key = ?")) {
            s.setInt(1, hours);
            s.setString(2, key);
            assertEquals(1, s.executeUpdate());
        }
        return key;
    }

    boolean kept(String key) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select 1 from idempotency_key where principal = 'ai-malta' and key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void keysOlderThanTheRetentionAreForgottenAndRecentOnesKept() throws SQLException {
        String old = keyAged(49);
        String almostOld = keyAged(47);
        String fresh = keyAged(0);
        String oldAnswer = post(old).then().statusCode(202).header("Idempotent-Replayed", "true").extract().asString();

        idempotency.forgetOldKeys();

        assertEquals(false, kept(old), "older than two days: forgotten");
        assertEquals(true, kept(almostOld), "within two days: kept");
        assertEquals(true, kept(fresh));
        post(almostOld).then().statusCode(202).header("Idempotent-Replayed", "true");
        post(fresh).then().statusCode(202).header("Idempotent-Replayed", "true");
        // a forgotten key is a new request: it takes effect again, under a new action
        Response again = post(old);
        again.then().statusCode(202);
        assertNull(again.header("Idempotent-Replayed"));
        assertNotEquals(oldAnswer, again.asString());
    }
}
