package org.w4r.petition.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.testsupport.ScratchDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * V27 on a database with reviewed messages: each rejection is known as abuse or not from the audit trail's entry of its
 * review, and one reviewed before the trail began stays unknown. A bulk invalidation then selects every message that
 * still counts, and never one that an abuse rejection, or a rejection it cannot tell from one, took out.
 */
class MessagesInvalidatedMigrationTest {
    private static final String CASE = "el-hiblu-3";

    @RegisterExtension
    final ScratchDatabase database = new ScratchDatabase("messages_v27");

    @Test
    void rejectionsAreToldApartByTheTrailAndOnlyMessagesThatStillCountAreSelected() throws SQLException {
        database.migrate("26");
        UUID abusive = message("rejected", "{\"decision\":\"rejected\",\"abuse\":true}");
        UUID offTopic = message("rejected", "{\"decision\":\"rejected\"}");
        UUID beforeTheTrail = message("rejected", null);
        UUID approved = message("approved", "{\"decision\":\"approved\"}");
        UUID pending = message("pending", null);

        database.migrate("latest");

        assertEquals("true", abuse(abusive));
        assertEquals("false", abuse(offTopic));
        assertNull(abuse(beforeTheTrail), "reviewed before the trail: not known");
        assertEquals("false", abuse(approved));
        assertNull(abuse(pending));

        InvalidationRepository invalidations = new InvalidationRepository();
        invalidations.dataSource = database.dataSource();
        InvalidationRepository.Criteria byCase = new InvalidationRepository.Criteria(null, CASE, null, null, null, null,
                null, null);
        assertEquals(List.of(new InvalidationRepository.Count(CASE, "ai-france", 3)), invalidations.count(byCase));
        InvalidationRepository.Criteria messages = new InvalidationRepository.Criteria(null, CASE, null, null, null,
                null, null, "message");
        assertEquals(3, invalidations.count(messages).get(0).actions());
        // with a signer's country only signatures are selected: none here
        assertEquals(List.of(), invalidations.count(new InvalidationRepository.Criteria(null, CASE, null, null, null,
                null, "FR", null)));
        // the three that still count, and only those, once
        UUID id = UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection()) {
            execute(c, "insert into invalidation (invalidation_id, selection, reason, actions, breakdown, created_by, "
                    + "created_at) values (cast(? as uuid), '{}', 'flood', 3, '[]', 'test', now())", id.toString());
        }
        List<UUID> marked = invalidations.mark(id, messages, 4).stream()
                .map(InvalidationRepository.Marked::actionId).sorted().toList();
        assertEquals(Stream.of(offTopic, approved, pending).sorted().toList(), marked);
        assertEquals(List.of(), invalidations.mark(id, messages, 4));
    }

    /** A message of the case in {@code status}; with {@code review}, the audit entry its review wrote (its detail). */
    private UUID message(String status, String review) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection()) {
            execute(c, """
                    insert into message (action_id, campaign_id, case_id, entity_id, author_name, text, status,
                                         occurred_at, recorded_at)
                    values (cast(? as uuid), 'w4r-demo', ?, 'ai-france', 'Grace', 'Stay strong', ?, now(), now())""",
                    id.toString(), CASE, status);
            if (review != null) {
                execute(c, """
                        insert into audit_entry (actor, action, subject_type, subject_id, entity_id, detail)
                        values ('moderator', 'message.reviewed', 'message', ?, 'ai-france', cast(? as jsonb))""",
                        id.toString(), review);
            }
        }
        return id;
    }

    private String abuse(UUID message) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select abuse::text from message where action_id = ?")) {
            ps.setObject(1, message);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static void execute(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
