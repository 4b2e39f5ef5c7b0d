package org.w4r.petition.repository;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Signatures, with the per-person-per-case uniqueness enforced by the database. */
@ApplicationScoped
public class SignatureRepository {

    public record NewSignature(UUID actionId, String campaignId, String caseId, String entityId, String emailHmac,
                               String name, String country, boolean showName, boolean contact, Instant occurredAt,
                               Instant recordedAt) {
    }

    /**
     * Inserts the signatures in one batched round trip, each unless this person already signed for this case (or
     * signs twice in this list: the first one counts). Rows go in (case, signer) order, so concurrent transactions
     * never wait on each other in a cycle. Returns, for each signature, whether it was inserted.
     */
    public boolean[] insertIfFirst(Connection connection, List<NewSignature> signatures) throws SQLException {
        boolean[] inserted = new boolean[signatures.size()];
        if (signatures.isEmpty()) {
            return inserted;
        }
        List<Integer> order = new ArrayList<>(signatures.size());
        for (int i = 0; i < signatures.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> signatures.get(i).caseId())
                .thenComparing(i -> signatures.get(i).emailHmac()).thenComparingInt(i -> i));
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, country,
                                       show_name, contact_me, occurred_at, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (case_id, email_hmac) do nothing""")) {
            for (int i : order) {
                NewSignature s = signatures.get(i);
                insert.setObject(1, s.actionId());
                insert.setString(2, s.campaignId());
                insert.setString(3, s.caseId());
                insert.setString(4, s.entityId());
                insert.setString(5, s.emailHmac());
                insert.setString(6, s.name());
                insert.setString(7, s.country());
                insert.setBoolean(8, s.showName());
                insert.setBoolean(9, s.contact());
                insert.setObject(10, OffsetDateTime.ofInstant(s.occurredAt(), ZoneOffset.UTC));
                insert.setObject(11, OffsetDateTime.ofInstant(s.recordedAt(), ZoneOffset.UTC));
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int k = 0; k < order.size(); k++) {
                inserted[order.get(k)] = counts[k] == 1;
            }
        }
        return inserted;
    }
}
