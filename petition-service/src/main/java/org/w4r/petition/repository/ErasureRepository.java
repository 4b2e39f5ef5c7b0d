package org.w4r.petition.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.TreeSet;

/**
 * What an erasure leaves behind so that it holds for writes after it (V25): the keyed email hash and the scope, and the
 * advisory lock that orders the erasure against writes of the same person under way. Found by a read-only review,
 * 6 December 2026: an erasure updated only committed rows and remembered nothing, so a retry of a signature answered
 * 503, or one still in the group commit's queue, stored the erased name afterwards.
 */
@ApplicationScoped
public class ErasureRepository {
    /** The scope of a coordinator's erasure, which crosses entities (an entity id is never empty). */
    public static final String EVERY_ENTITY = "";

    @Inject
    AgroalDataSource dataSource;

    /**
     * First in the erasure's transaction: the rows it is to change, locked without changing them, so whatever holds
     * them (a retention run's update of a whole campaign, for minutes) is waited for while the erasure holds nothing
     * the person's new writes wait for. A lock only: an insert of the same person and case finds the row in conflict
     * without waiting for it, as it would wait for an updated row, which with {@link #record} would close a cycle.
     */
    public void lockRows(Collection<String> emailHmacs, String entityId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String sql : new String[]{"""
                    select 1 from signature where email_hmac = any(cast(? as char(64)[]))
                       and (cast(? as varchar) is null or entity_id = ?) for update""", """
                    select 1 from message where author_email_hmac = any(cast(? as char(64)[]))
                       and (cast(? as varchar) is null or entity_id = ?) for update"""}) {
                try (PreparedStatement lock = c.prepareStatement(sql)) {
                    lock.setArray(1, c.createArrayOf("varchar", emailHmacs.toArray()));
                    lock.setString(2, entityId);
                    lock.setString(3, entityId);
                    lock.executeQuery().close();
                }
            }
        }
    }

    /**
     * Then, before it updates anything: the person's lock exclusively (it waits for the writes of
     * this person that hold it, which have then committed and are found by the update that follows; writes after it
     * wait for this transaction and then read the record), then the record. Nothing else is held while it waits, and
     * once it holds the lock the erasure waits for no writer: see docs/petition-service.md, "Erasure".
     */
    public void record(String emailHmac, String entityId, Instant erasedAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement(
                    "select 1 from pg_advisory_xact_lock(hashtext('w4r-erasure'), erasure_lock_key(cast(? as char(64))))")) {
                lock.setString(1, emailHmac);
                lock.executeQuery().close();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into erased_signer (email_hmac, scope, erased_at) values (?, ?, ?)
                    on conflict (email_hmac, scope) do nothing""")) {
                insert.setString(1, emailHmac);
                insert.setString(2, entityId == null ? EVERY_ENTITY : entityId);
                insert.setObject(3, OffsetDateTime.ofInstant(erasedAt, ZoneOffset.UTC));
                insert.executeUpdate();
            }
        }
    }

    /**
     * The erasure lock key of a keyed email hash, as {@code erasure_lock_key} (V25) computes it: one of 64, the low six
     * bits of the hash's first 32. Writers take their keys in ascending order of this, and so never in a cycle.
     */
    public static int lockKey(String emailHmac) {
        return Integer.parseUnsignedInt(emailHmac.substring(0, 8), 16) & 63;
    }

    /**
     * For a transaction that writes several people's actions one by one (a batch): their erasure locks, shared, all
     * at once and in the one order every writer uses (ascending {@link #lockKey}), before it writes any of them. Each
     * write still asks {@code erased_signer_guard}, which finds its lock held already.
     */
    public void lockShared(Collection<String> emailHmacs) throws SQLException {
        TreeSet<Integer> keys = new TreeSet<>();
        emailHmacs.forEach(h -> keys.add(lockKey(h)));
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement lock = c.prepareStatement("""
                select count(pg_advisory_xact_lock_shared(hashtext('w4r-erasure'), k))
                from (select k from unnest(cast(? as int[])) with ordinality as u(k, n) order by n) lock_keys""")) {
            lock.setArray(1, c.createArrayOf("int4", keys.toArray()));
            lock.executeQuery().close();
        }
    }
}
