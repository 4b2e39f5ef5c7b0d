package org.w4r.petition.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.EventTime;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    @Inject
    ErasureRepository erasures;

    /**
     * The signatures, each unless this person already signed the case (or signs twice in the list: the first one
     * counts), stored as an erasure leaves a row ({@link #ERASE}: no name, country, consents or domain; the hash, the
     * counted country and the count stay) when the person was erased for this entity; the inserted ones' ids come back.
     * Found by a read-only review, 6 December 2026: a keyed retry of a signature answered 503, sent after its signer
     * was erased, stored her name again, and so did a signature in the group commit's queue as the erasure committed.
     * Hence the order of {@link #insertIfFirst}: the people's erasure locks first, in a statement of their own, so this
     * statement's snapshot, taken after them, sees every erasure that committed before, and an erasure after waits for
     * this transaction and then updates its rows (V25, V26).
     *
     * <p>One statement for the whole list (issue 20, 7 December 2026): until then one statement a signature, each
     * asking {@code erased_signer_guard}, a PL/pgSQL function taking the lock and reading {@code erased_signer}; in a
     * scratch copy of the table, batches of 1,000, that was 0.031-0.042 ms of PostgreSQL's CPU a signature and this
     * 0.022-0.035 (docs/benchmarks.md). Rows go in the order given ({@code order by n}): each takes its place in the
     * unique index in that one order.
     */
    static final String INSERT = """
            insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, country,
                                   show_name, contact_me, occurred_at, recorded_at, email_domain_hmac,
                                   counted_country)
            select r.action_id, r.campaign_id, r.case_id, r.entity_id, r.hmac,
                   case when e.erased then null else r.name end, case when e.erased then null else r.country end,
                   r.show_name and not e.erased, r.contact_me and not e.erased, r.occurred_at, r.recorded_at,
                   case when e.erased then null else r.domain_hmac end, r.country
            from (select u.action_id, u.campaign_id, u.case_id, u.entity_id, decode(u.hmac, 'hex') as hmac, u.name,
                         u.country, u.show_name, u.contact_me, u.occurred_at::timestamptz as occurred_at,
                         u.recorded_at::timestamptz as recorded_at, decode(u.domain_hmac, 'hex') as domain_hmac, u.n
                  from unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[], ?::varchar[],
                              ?::boolean[], ?::boolean[], ?::varchar[], ?::varchar[], ?::text[]) with ordinality
                       as u (action_id, campaign_id, case_id, entity_id, hmac, name, country, show_name, contact_me,
                             occurred_at, recorded_at, domain_hmac, n)) r
            cross join lateral (select exists (select 1 from erased_signer s
                                               where s.email_hmac = r.hmac and s.scope in ('', r.entity_id)) as erased) e
            order by r.n
            on conflict (case_id, email_hmac) do nothing
            returning action_id""";

    /**
     * Inserts the signatures in one statement, each unless this person already signed for this case (or signs twice
     * in this list: the first one counts), after taking the signers' erasure locks, shared, in the one order every
     * writer takes them ({@link ErasureRepository#lockShared}; a batch took them already, taking them again is a
     * no-op). Rows go in (erasure lock key, signer, case) order, the order every transaction takes its places in the
     * unique index, so concurrent transactions never wait on each other in a cycle. Returns, for each signature,
     * whether it was inserted.
     */
    public boolean[] insertIfFirst(List<NewSignature> signatures) throws SQLException {
        boolean[] inserted = new boolean[signatures.size()];
        if (signatures.isEmpty()) {
            return inserted;
        }
        List<NewSignature> rows = new ArrayList<>(signatures);
        rows.sort(Comparator.comparingInt((NewSignature s) -> ErasureRepository.lockKey(s.emailHmac()))
                .thenComparing(NewSignature::emailHmac).thenComparing(NewSignature::caseId));
        erasures.lockShared(rows.stream().map(NewSignature::emailHmac).toList());
        Set<UUID> stored = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setArray(1, c.createArrayOf("uuid", rows.stream().map(NewSignature::actionId).toArray()));
            insert.setArray(2, c.createArrayOf("varchar", rows.stream().map(NewSignature::campaignId).toArray()));
            insert.setArray(3, c.createArrayOf("varchar", rows.stream().map(NewSignature::caseId).toArray()));
            insert.setArray(4, c.createArrayOf("varchar", rows.stream().map(NewSignature::entityId).toArray()));
            insert.setArray(5, c.createArrayOf("varchar", rows.stream().map(NewSignature::emailHmac).toArray()));
            insert.setArray(6, c.createArrayOf("varchar", rows.stream().map(NewSignature::name).toArray()));
            insert.setArray(7, c.createArrayOf("varchar", rows.stream().map(NewSignature::country).toArray()));
            insert.setArray(8, c.createArrayOf("boolean", rows.stream().map(NewSignature::showName).toArray()));
            insert.setArray(9, c.createArrayOf("boolean", rows.stream().map(NewSignature::contact).toArray()));
            insert.setArray(10, c.createArrayOf("varchar",
                    rows.stream().map(s -> EventTime.format(s.occurredAt())).toArray()));
            insert.setArray(11, c.createArrayOf("varchar",
                    rows.stream().map(s -> EventTime.format(s.recordedAt())).toArray()));
            insert.setArray(12, c.createArrayOf("varchar", rows.stream().map(NewSignature::emailDomainHmac).toArray()));
            try (ResultSet ids = insert.executeQuery()) {
                while (ids.next()) {
                    stored.add(ids.getObject(1, UUID.class));
                }
            }
        }
        for (int i = 0; i < signatures.size(); i++) {
            inserted[i] = stored.contains(signatures.get(i).actionId());
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
     * with the hash (migration V22; ErasureTest reads the plan). The email's domain goes too: its keyed hash is what a
     * bulk invalidation selects by, and a coordinator's preview by a personal domain (ada-lovelace.name) found the
     * erased person's cases, entities and times (a read-only review, 7 December 2026). The email's own hash stays: it
     * keeps the person counted once, and nothing selects by it.
     */
    public static final String ERASE = """
            update signature set name = null, country = null, show_name = false, contact_me = false,
                                 email_domain_hmac = null
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
