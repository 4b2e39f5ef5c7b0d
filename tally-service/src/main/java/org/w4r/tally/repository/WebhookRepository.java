package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.tally.model.Webhook;
import org.w4r.tally.model.WebhookDelivery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The webhooks entities registered and their deliveries (V5__webhooks.sql). Every read and change of a webhook names
 * its entity, so an entity can only reach its own. Called inside a transaction (the consumer's) the statements join
 * it; otherwise each one commits by itself.
 */
@ApplicationScoped
public class WebhookRepository {
    @Inject
    AgroalDataSource dataSource;

    /** A delivery claimed for sending, with what sending it needs. */
    public record Due(UUID id, UUID webhookId, String entityId, UUID eventId, String eventType, String body,
                      int attempts, String url, String secret) {
    }

    /** A delivery to queue; {@code holdCaseId}: the case whose safety hold holds it back (null: none does). */
    public record NewDelivery(UUID webhookId, UUID eventId, String eventType, String body, String holdCaseId) {
    }

    /** A case's version and hold as the webhook consumer last saw them, its status as entities were last told it. */
    public record CaseState(long version, Long holdId, String status) {
    }

    public enum Replay { REQUEUED, NOT_FOUND, NOT_DEAD }

    public void insert(Webhook w) {
        run("insert into webhook (id, entity_id, url, events, secret, created_at) values (?, ?, ?, ?, ?, ?)", ps -> {
            ps.setObject(1, w.id());
            ps.setString(2, w.entityId());
            ps.setString(3, w.url());
            ps.setArray(4, ps.getConnection().createArrayOf("text", w.events().toArray()));
            ps.setString(5, w.secret());
            ps.setTimestamp(6, Timestamp.from(w.createdAt()));
            ps.executeUpdate();
            return null;
        });
    }

    /**
     * Makes the calling transaction the only one registering for {@code entityId} until it ends (a transaction-level
     * advisory lock): the count of its live webhooks and the insert that follows it then cannot interleave with another
     * registration's. Must be called inside a transaction, or the lock ends with the statement.
     */
    public void lockEntity(String entityId) {
        run("select 1 from pg_advisory_xact_lock(hashtextextended('webhooks:' || ?, 0))", ps -> {
            ps.setString(1, entityId);
            ps.executeQuery().close();
            return null;
        });
    }

    public int countLive(String entityId) {
        return run("select count(*) from webhook where entity_id = ? and deleted_at is null", ps -> {
            ps.setString(1, entityId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    public List<Webhook> live(String entityId) {
        return run("select " + WEBHOOK + " from webhook where entity_id = ? and deleted_at is null order by created_at, id",
                ps -> {
                    ps.setString(1, entityId);
                    return webhooks(ps);
                });
    }

    public Optional<Webhook> find(String entityId, UUID id) {
        return run("select " + WEBHOOK + " from webhook where entity_id = ? and id = ? and deleted_at is null", ps -> {
            ps.setString(1, entityId);
            ps.setObject(2, id);
            return webhooks(ps).stream().findFirst();
        });
    }

    /** The live webhooks subscribed to {@code eventType}; of one entity only when {@code entityId} is not null. */
    public List<Webhook> subscribers(String eventType, String entityId) {
        return run("select " + WEBHOOK + " from webhook where deleted_at is null and ? = any(events)"
                + (entityId == null ? "" : " and entity_id = ?") + " order by id", ps -> {
            ps.setString(1, eventType);
            if (entityId != null) {
                ps.setString(2, entityId);
            }
            return webhooks(ps);
        });
    }

    /**
     * Deletes the entity's webhook; what it still had to send is given up (dead, "webhook deleted"). An attempt already
     * claimed carries the URL and secret: the dispatcher asks {@link #isLive} right before its POST.
     */
    public boolean delete(String entityId, UUID id) {
        // the secret is blanked at once: nothing is signed with it again, and it need not wait in backups for the prune
        boolean gone = run("update webhook set deleted_at = now(), secret = '' "
                        + "where entity_id = ? and id = ? and deleted_at is null",
                ps -> {
                    ps.setString(1, entityId);
                    ps.setObject(2, id);
                    return ps.executeUpdate() == 1;
                });
        if (gone) {
            run("update webhook_delivery set state = 'dead', last_error = 'webhook deleted' where webhook_id = ? "
                    + "and state = 'pending'", ps -> {
                ps.setObject(1, id);
                return ps.executeUpdate();
            });
        }
        return gone;
    }

    /** Whether the webhook is still registered (not deleted), whoever's it is: the dispatcher's check before a POST. */
    public boolean isLive(UUID id) {
        return run("select 1 from webhook where id = ? and deleted_at is null", ps -> {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** Queues each delivery once: one already queued for the same webhook and event is left as it is. */
    public int enqueue(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return 0;
        }
        return run("""
                insert into webhook_delivery (id, webhook_id, event_id, event_type, body, hold_case_id, state,
                                              next_attempt_at)
                values (?, ?, ?, ?, ?, ?, 'pending', now()) on conflict (webhook_id, event_id) do nothing""", ps -> {
            for (NewDelivery d : deliveries) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, d.webhookId());
                ps.setObject(3, d.eventId());
                ps.setString(4, d.eventType());
                ps.setString(5, d.body());
                ps.setString(6, d.holdCaseId());
                ps.addBatch();
            }
            return Arrays.stream(ps.executeBatch()).map(n -> Math.max(n, 0)).sum();
        });
    }

    /**
     * Claims up to {@code limit} due deliveries, at most {@code perEntity} of one entity, the longest due first: each is
     * pushed {@code lease} ahead, so no other instance takes it while this one sends it, and it comes back by itself if
     * this instance dies meanwhile. {@code SKIP LOCKED}: two instances claiming at once take different rows instead of
     * waiting for each other. A delivery held back by a case's safety hold is not due while the webhook consumer's state
     * of that case holds a hold: a milestone queued just before the hold, retried or replayed during it, waits for the
     * release (it was checked only when queued until 4 December 2026), nor while {@code held} (the cases the caller's
     * read model has on hold) names its case: that state is as late as the webhook consumer ({@code
     * MilestoneRepository}'s hold, 6 December 2026). One claimed just before the hold was recorded may still be on its
     * way.
     * <p>
     * The cap per entity (review, 4 December 2026): claimed by age alone, one entity with many deliveries to slow
     * receivers filled every claim, and each claim waits for its slowest attempt, so the other entities' deliveries,
     * holds included, waited behind it. The ranking reads every due delivery (the lock, below it, only those taken):
     * a sort of what is due, which is small unless the dispatchers have fallen behind. {@code inFlight}: each entity's
     * attempts still going in this instance, taken from its share, so it never has more than {@code perEntity} at once.
     */
    public List<Due> claimDue(int limit, int perEntity, Duration lease, Set<String> held, Map<String, Integer> inFlight) {
        return run("""
                with flying as (select * from unnest(?::varchar[], ?::int[]) as f(entity_id, n)),
                     ranked as (select d.id, coalesce(f.n, 0) as flying,
                                       row_number() over (partition by w.entity_id order by d.next_attempt_at, d.id) nth
                                  from webhook_delivery d join webhook w on w.id = d.webhook_id
                                  left join flying f on f.entity_id = w.entity_id
                                 where d.state = 'pending' and d.next_attempt_at <= now() and w.deleted_at is null
                                   and (d.hold_case_id is null or (not (d.hold_case_id = any(?::varchar[]))
                                        and not exists (select 1 from webhook_case_state s
                                         where s.case_id = d.hold_case_id and s.hold_id is not null)))),
                     due as (select d.id from webhook_delivery d join ranked r on r.id = d.id
                              where r.nth <= ? - r.flying and d.state = 'pending' and d.next_attempt_at <= now()
                              order by d.next_attempt_at limit ? for update of d skip locked)
                update webhook_delivery d set next_attempt_at = now() + make_interval(secs => ?)
                  from due, webhook w
                 where d.id = due.id and w.id = d.webhook_id and w.deleted_at is null
                returning d.id, d.webhook_id, w.entity_id, d.event_id, d.event_type, d.body, d.attempts, w.url, w.secret""",
                ps -> {
                    List<String> entities = new ArrayList<>(inFlight.keySet());
                    ps.setArray(1, ps.getConnection().createArrayOf("varchar", entities.toArray()));
                    ps.setArray(2, ps.getConnection().createArrayOf("integer",
                            entities.stream().map(inFlight::get).toArray()));
                    ps.setArray(3, ps.getConnection().createArrayOf("varchar", held.toArray()));
                    ps.setInt(4, perEntity);
                    ps.setInt(5, limit);
                    ps.setDouble(6, lease.toMillis() / 1000.0);
                    List<Due> due = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due.add(new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                    rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getInt(7),
                                    rs.getString(8), rs.getString(9)));
                        }
                    }
                    return due;
                });
    }

    public void delivered(UUID id, int status) {
        run("""
                update webhook_delivery set state = 'delivered', attempts = attempts + 1, last_status = ?,
                       last_error = null, delivered_at = now() where id = ? and state = 'pending'""", ps -> {
            ps.setInt(1, status);
            ps.setObject(2, id);
            ps.executeUpdate();
            return null;
        });
    }

    /** An attempt failed: due again after {@code retryIn}, or dead when {@code retryIn} is null. */
    public void failed(UUID id, Integer status, String error, Duration retryIn) {
        run("""
                update webhook_delivery set attempts = attempts + 1, last_status = ?, last_error = ?,
                       state = case when ? then 'dead' else 'pending' end,
                       next_attempt_at = now() + make_interval(secs => ?)
                 where id = ? and state = 'pending'""", ps -> {
            ps.setObject(1, status);
            ps.setString(2, error == null ? null : error.substring(0, Math.min(200, error.length())));
            ps.setBoolean(3, retryIn == null);
            ps.setDouble(4, retryIn == null ? 0 : retryIn.toMillis() / 1000.0);
            ps.setObject(5, id);
            ps.executeUpdate();
            return null;
        });
    }

    /** The webhook's most recent deliveries, newest first: in the reverse of the order they were queued in. */
    public List<WebhookDelivery> deliveries(UUID webhookId, int limit) {
        return run("""
                select id, event_id, event_type, state, attempts, last_status, last_error, created_at, next_attempt_at,
                       delivered_at
                  from webhook_delivery where webhook_id = ? order by queued desc limit ?""", ps -> {
            ps.setObject(1, webhookId);
            ps.setInt(2, limit);
            List<WebhookDelivery> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(4);
                    list.add(new WebhookDelivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            state, rs.getInt(5), (Integer) rs.getObject(6), rs.getString(7), instant(rs, 8),
                            "pending".equals(state) ? instant(rs, 9) : null, instant(rs, 10)));
                }
            }
            return list;
        });
    }

    /** Puts a dead delivery of the webhook back in the queue, due now, with its attempts counted from zero. */
    public Replay replay(UUID webhookId, UUID deliveryId) {
        return run("""
                with target as (select id, state from webhook_delivery where id = ? and webhook_id = ? for update),
                     requeued as (update webhook_delivery d set state = 'pending', attempts = 0, next_attempt_at = now(),
                                         delivered_at = null
                                    from target where d.id = target.id and target.state = 'dead' returning d.id)
                select (select state from target), (select count(*) from requeued)""", ps -> {
            ps.setObject(1, deliveryId);
            ps.setObject(2, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getString(1) == null) {
                    return Replay.NOT_FOUND;
                }
                return rs.getLong(2) == 1 ? Replay.REQUEUED : Replay.NOT_DEAD;
            }
        });
    }

    public Optional<CaseState> caseState(String caseId) {
        return run("select version, hold_id, status from webhook_case_state where case_id = ?", ps -> {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CaseState(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3)))
                        : Optional.empty();
            }
        });
    }

    /** Which of these cases entities were told are on hold ({@code case.held} queued, no release since). */
    public List<String> heldAmong(List<String> caseIds) {
        return run("select case_id from webhook_case_state where case_id = any(?) and hold_id is not null", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("varchar", caseIds.toArray()));
            List<String> held = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
            return held;
        });
    }

    /**
     * Deletes the deliveries delivered or given up longer than {@code keepFor} ago (a dead one replayed and delivered
     * counts from its delivery) and the deleted webhooks none is left of; the number of deliveries deleted. A pending
     * one is never deleted, however old.
     */
    public int prune(Duration keepFor) {
        int deliveries = run("""
                delete from webhook_delivery where state <> 'pending'
                   and greatest(created_at, coalesce(delivered_at, next_attempt_at)) < now() - make_interval(secs => ?)""",
                ps -> {
                    ps.setDouble(1, keepFor.toSeconds());
                    return ps.executeUpdate();
                });
        run("""
                delete from webhook w where w.deleted_at < now() - make_interval(secs => ?)
                   and not exists (select 1 from webhook_delivery d where d.webhook_id = w.id)""", ps -> {
            ps.setDouble(1, keepFor.toSeconds());
            return ps.executeUpdate();
        });
        return deliveries;
    }

    /** A delivery that may not be told now: due again after {@code wait}, its attempts uncounted (nothing was sent). */
    public void holdBack(UUID id, String reason, Duration wait) {
        run("""
                update webhook_delivery set last_status = null, last_error = ?, next_attempt_at = now() + make_interval(secs => ?)
                 where id = ? and state = 'pending'""", ps -> {
            ps.setString(1, reason);
            ps.setDouble(2, wait.toMillis() / 1000.0);
            ps.setObject(3, id);
            ps.executeUpdate();
            return null;
        });
    }

    public void saveCaseState(String caseId, CaseState state) {
        run("""
                insert into webhook_case_state (case_id, version, hold_id, status) values (?, ?, ?, ?)
                on conflict (case_id) do update set version = excluded.version, hold_id = excluded.hold_id,
                                                   status = excluded.status""", ps -> {
            ps.setString(1, caseId);
            ps.setLong(2, state.version());
            ps.setObject(3, state.holdId());
            ps.setString(4, state.status());
            ps.executeUpdate();
            return null;
        });
    }

    private static final String WEBHOOK = "id, entity_id, url, events, secret, created_at";

    private static List<Webhook> webhooks(PreparedStatement ps) throws SQLException {
        List<Webhook> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array events = rs.getArray(4);
                list.add(new Webhook(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        List.of((String[]) events.getArray()), rs.getString(5), instant(rs, 6)));
            }
        }
        return list;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private interface Statement<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T run(String sql, Statement<T> statement) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return statement.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("webhooks: a statement failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}
