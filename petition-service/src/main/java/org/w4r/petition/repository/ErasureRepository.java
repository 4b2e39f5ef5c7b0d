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
                    select 1 from signature where email_hmac = any(array(select decode(h, 'hex') from unnest(cast(? as text[])) h))
                       and (cast(? as varchar) is null or entity_id = ?) for update""", """
                    select 1 from message where author_email_hmac = any(array(select decode(h, 'hex') from unnest(cast(? as text[])) h))
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

    /** How long an erasure tries for its lock key before it gives up ({@link #record}). */
    static final long TRY_FOR_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    /**
     * Then, before it updates anything: the person's lock key exclusively, then the record; false, with nothing
     * recorded, if the key stayed taken for {@link #TRY_FOR_NANOS}. Tried, never waited for in PostgreSQL's queue: a
     * waiting exclusive request queues every later shared one behind it, so an erasure waiting out a batch held every
     * writer of its key, the group commit's included (each group covers most of the 64 keys), and an erasure waiting
     * there while it held rows an invalidation needed closed a cycle with a writer waiting for that invalidation
     * through the unique index (a review of the change, 6 December 2026). Held, it waits for no writer: writes of the
     * person that held the key have committed and are found by the updates that follow; writes after it wait for this
     * transaction, then read the record.
     */
    public boolean record(String emailHmac, String entityId, Instant erasedAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long deadline = System.nanoTime() + TRY_FOR_NANOS;
            while (!tryKey(c, emailHmac)) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                try {
                    Thread.sleep(10); // a group commit holds a key for milliseconds, a batch for up to a second
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into erased_signer (email_hmac, scope, erased_at) values (decode(?, 'hex'), ?, ?)
                    on conflict (email_hmac, scope) do nothing""")) {
                insert.setString(1, emailHmac);
                insert.setString(2, entityId == null ? EVERY_ENTITY : entityId);
                insert.setObject(3, OffsetDateTime.ofInstant(erasedAt, ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return true;
        }
    }

    private static boolean tryKey(Connection c, String emailHmac) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(
                "select pg_try_advisory_xact_lock(hashtext('w4r-erasure'), erasure_lock_key(decode(?, 'hex')))")) {
            lock.setString(1, emailHmac);
            try (java.sql.ResultSet r = lock.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    /**
     * The erasure lock key of a keyed email hash, as {@code erasure_lock_key} (V26) computes it: one of 64, the low six
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
