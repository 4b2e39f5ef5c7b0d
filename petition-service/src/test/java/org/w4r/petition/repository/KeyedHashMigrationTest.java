package org.w4r.petition.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.testsupport.ScratchDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * V26 on a database that holds keyed hashes as 64 hex characters (as V25 left it): every person stored before it is
 * still the same person after it, to the duplicate check, to an erasure and to an erasure's record, and the erasure
 * lock key the database computes from the bytes is the one Java computes from the hex (writers order their locks by
 * it: a disagreement would let two transactions take them in a cycle).
 */
class KeyedHashMigrationTest {
    private static final String CAMPAIGN = "w4r-demo";
    private static final Instant AT = Instant.parse("2026-11-30T10:15:30Z");

    private final Random random = new Random(26);
    @RegisterExtension
    final ScratchDatabase database = new ScratchDatabase("hashes_v26");

    @Test
    void aPersonStoredAsHexIsTheSamePersonAfterTheMigration() throws SQLException {
        database.migrate("25");
        String signer = hash(), erased = hash(), author = hash(), domain = hash();
        UUID signed = UUID.randomUUID();
        execute("""
                insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, country, show_name,
                                       contact_me, occurred_at, recorded_at, email_domain_hmac, counted_country)
                values (cast(? as uuid), ?, 'el-hiblu-3', 'ai-france', ?, 'Ada Lovelace', 'FR', true, false, now(), now(), ?, 'FR')""",
                signed.toString(), CAMPAIGN, signer, domain);
        UUID written = UUID.randomUUID();
        execute("""
                insert into message (action_id, campaign_id, case_id, entity_id, author_name, author_email_hmac, text,
                                     occurred_at, recorded_at)
                values (cast(? as uuid), ?, 'el-hiblu-3', 'ai-france', 'Grace', ?, 'Stay strong', now(), now())""",
                written.toString(), CAMPAIGN, author);
        execute("insert into erased_signer (email_hmac, scope, erased_at) values (?, '', now())", erased);

        database.migrate("latest");

        assertEquals(signer, text("select encode(email_hmac, 'hex') from signature where action_id = cast(? as uuid)", signed));
        assertEquals(domain, text("select encode(email_domain_hmac, 'hex') from signature where action_id = cast(? as uuid)", signed));
        assertEquals(author, text("select encode(author_email_hmac, 'hex') from message where action_id = cast(? as uuid)", written));

        ErasureRepository erasures = new ErasureRepository();
        erasures.dataSource = database.dataSource();
        SignatureRepository signatures = new SignatureRepository();
        signatures.dataSource = database.dataSource();
        signatures.erasures = erasures;
        // the same person and case: a duplicate, found through the converted index
        boolean[] inserted = signatures.insertIfFirst(List.of(signature(signer, "el-hiblu-3", "Ada Lovelace"),
                signature(erased, "el-hiblu-3", "Erased Before")));
        assertArrayEquals(new boolean[]{false, true}, inserted);
        // the person erased before the migration is stored as an erasure leaves a row: the converted record still holds
        assertNull(text("select name from signature where email_hmac = decode(?, 'hex')", erased));
        // an erasure after it finds the signature stored before it
        assertEquals(List.of(new SignatureRepository.Erased(signed, "el-hiblu-3")), signatures.erase(signer, null));
        assertNull(text("select name from signature where action_id = cast(? as uuid)", signed));
        // the record of an erasure before it is the same record: recorded again, no second row
        erasures.lockRows(List.of(erased, author), null);
        assertEquals(true, erasures.record(erased, null, AT));
        assertEquals("1", text("select count(*) from erased_signer where scope = ?", ""));
    }

    @Test
    void theDatabaseAndJavaAgreeOnEveryLockKey() throws SQLException {
        database.migrate("latest");
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement key = c.prepareStatement("select erasure_lock_key(decode(?, 'hex'))")) {
            for (int i = 0; i < 2_000; i++) {
                String hex = hash();
                key.setString(1, hex);
                try (ResultSet r = key.executeQuery()) {
                    r.next();
                    assertEquals(ErasureRepository.lockKey(hex), r.getInt(1), hex);
                }
            }
        }
    }

    private SignatureRepository.NewSignature signature(String hmac, String caseId, String name) {
        return new SignatureRepository.NewSignature(UUID.randomUUID(), CAMPAIGN, caseId, "ai-france", hmac, hash(), name,
                "FR", true, false, AT, AT);
    }

    private String hash() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void execute(String sql, String... values) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    private String text(String sql, Object value) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value.toString());
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
