package org.w4r.petition.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.petition.model.ConsentingSigner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Signatures, with the per-person-per-case uniqueness enforced by the database. Inside a transaction each statement
 * runs on that transaction's connection.
 */
@ApplicationScoped
public class SignatureRepository {
    @Inject
    AgroalDataSource dataSource;

    public record NewSignature(UUID actionId, String campaignId, String caseId, String entityId, String emailHmac,
                               String emailDomainHmac, String name, String country, boolean showName, boolean contact, Instant occurredAt,
                               Instant recordedAt) {
    }

    /**
     * One signature, unless this person already signed the case; stored as an erasure leaves a row ({@link #ERASE}:
     * no name, country or consents; the hash, the counted country and the count stay) when the person was erased for
     * this entity. The guard takes the person's erasure lock shared and reads {@code erased_signer} after it (V25, V26): an
     * erasure that commits while this waits is seen, and one that waits for this lock updates the row once committed.
     * Found by a read-only review, 6 December 2026: a keyed retry of a signature answered 503, sent after its signer
     * was erased, stored her name again, and so did a signature in the group commit's queue as the erasure committed.
     * The guard sits in a subquery of its own ({@code offset 0}) so it runs once per row.
     */
    static final String INSERT = """
            insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, country,
                                   show_name, contact_me, occurred_at, recorded_at, email_domain_hmac,
                                   counted_country)
            select ?, ?, ?, ?, decode(?, 'hex'), case when g.erased then null else ? end,
                   case when g.erased then null else ? end, ? and not g.erased, ? and not g.erased, ?, ?,
                   decode(?, 'hex'), ?
            from (select erased_signer_guard(decode(?, 'hex'), cast(? as varchar)) as erased offset 0) g
            on conflict (case_id, email_hmac) do nothing""";

    /**
     * Inserts the signatures in one batched round trip (one statement each, pipelined), each unless this person
     * already signed for this case (or signs twice in this list: the first one counts). Rows go in (erasure lock key,
     * signer, case) order: each takes its signer's erasure lock (shared) and then its place in the unique index, both in
     * that one order for every transaction, so concurrent transactions never wait on each other in a cycle. Returns, for each
     * signature, whether it was inserted.
     */
    public boolean[] insertIfFirst(List<NewSignature> signatures) throws SQLException {
        boolean[] inserted = new boolean[signatures.size()];
        if (signatures.isEmpty()) {
            return inserted;
        }
        List<Integer> order = new ArrayList<>(signatures.size());
        for (int i = 0; i < signatures.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> ErasureRepository.lockKey(signatures.get(i).emailHmac()))
                .thenComparing(i -> signatures.get(i).emailHmac())
                .thenComparing(i -> signatures.get(i).caseId()).thenComparingInt(i -> i));
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
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
                insert.setString(12, s.emailDomainHmac());
                insert.setString(13, s.country());
                insert.setString(14, s.emailHmac());
                insert.setString(15, s.entityId());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int k = 0; k < order.size(); k++) {
                inserted[order.get(k)] = counts[k] == 1;
            }
        }
        return inserted;
    }

    /**
     * The consenting signers of a case up to {@code until}, oldest first; erased signers have no name. An invalidated
     * signature (a flood a coordinator took out of the counts) is not delivered either. With an {@code entityId}, only
     * the signatures taken through that entity: a delivery planned for one entity hands over its own petition, and
     * until 4 December 2026 (found by a read-only audit) its pack named every entity's signers of the case.
     */
    public List<ConsentingSigner> consenting(String caseId, String entityId, Instant until) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement("""
                select name, country from signature
                where case_id = ? and (cast(? as varchar) is null or entity_id = ?)
                  and show_name and occurred_at <= ? and name is not null and invalidation_id is null
                order by occurred_at, action_id""")) {
            select.setString(1, caseId);
            select.setString(2, entityId);
            select.setString(3, entityId);
            select.setObject(4, OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
            List<ConsentingSigner> signers = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String country = rows.getString(2);
                    signers.add(new ConsentingSigner(rows.getString(1), country == null ? "" : country.trim()));
                }
            }
            return signers;
        }
    }

    /**
     * What an erasure runs: found by the hash alone, so the index that keeps one signature per person per case leads
     * with the hash (migration V22; ErasureTest reads the plan).
     */
    public static final String ERASE = """
            update signature set name = null, country = null, show_name = false, contact_me = false
            where email_hmac = decode(?, 'hex') and (cast(? as varchar) is null or entity_id = ?)
            returning action_id, case_id""";

    /** An erased action: its id and case. */
    public record Erased(UUID actionId, String caseId) {
    }

    /**
     * Forgets the name, country and consents of the signatures under a keyed email hash ({@code entityId} null: of
     * every entity); the hash stays, so they still count once. Returns what was erased.
     */
    public List<Erased> erase(String emailHmac, String entityId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement erase = connection.prepareStatement(ERASE)) {
            erase.setString(1, emailHmac);
            erase.setString(2, entityId);
            erase.setString(3, entityId);
            List<Erased> erased = new ArrayList<>();
            try (ResultSet rows = erase.executeQuery()) {
                while (rows.next()) {
                    erased.add(new Erased(rows.getObject(1, UUID.class), rows.getString(2)));
                }
            }
            return erased;
        }
    }
}
