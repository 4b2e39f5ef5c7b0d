package org.w4r.petition.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Bulk invalidations and the accepted actions they take out of the counts: signatures, online actions and solidarity
 * messages (offline counts have their entity's corrections). Inside a transaction each statement runs on that
 * transaction's connection. Only constants of this class reach the SQL; every value is bound.
 */
@ApplicationScoped
public class InvalidationRepository {
    static final String SIGNATURE = "signature";
    static final String ONLINE_ACTION = "online_action";
    static final String MESSAGE = "message";

    @Inject
    AgroalDataSource dataSource;

    /**
     * What selects actions, every part optional ({@code null}): {@code type} is an action type's code;
     * {@code emailDomainHmac} and {@code country} are the signer's, so with either only signatures match.
     */
    public record Criteria(String campaignId, String caseId, String entityId, Instant from, Instant to,
                           String emailDomainHmac, String country, String type) {
        boolean signatures() {
            return type == null || "signature".equals(type);
        }

        boolean onlineActions() {
            return !"signature".equals(type) && !"message".equals(type) && emailDomainHmac == null && country == null;
        }

        boolean messages() {
            return (type == null || "message".equals(type)) && emailDomainHmac == null && country == null;
        }
    }

    /** How many actions of one case (null: none) and entity a selection holds. */
    public record Count(String caseId, String entityId, long actions) {
    }

    /**
     * An action an invalidation took out (or its reversal put back): what its correction event names, with the
     * country it was counted under (a signature's; null for an online action, a message or a signature without one).
     */
    public record Marked(UUID actionId, String campaignId, String caseId, String entityId, String type,
                         Instant occurredAt, String signerCountry) {
    }

    /** An invalidation as stored; {@code selection} and {@code breakdown} are JSON. */
    public record Row(UUID invalidationId, String selection, String reason, int actions, String breakdown,
                      String createdBy, Instant createdAt, Instant reversedAt, String reversedBy) {
    }

    private record Where(String sql, List<Object> values) {
    }

    /** The actions the criteria select now and still count, per case and entity (in no order). */
    public List<Count> count(Criteria criteria) throws SQLException {
        List<Count> counts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables(criteria)) {
                Where where = where(criteria, table);
                try (PreparedStatement select = connection.prepareStatement(
                        "select case_id, entity_id, count(*) from " + table + " where " + where.sql()
                                + " group by case_id, entity_id")) {
                    bind(select, where.values(), 1);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            counts.add(new Count(rows.getString(1), rows.getString(2), rows.getLong(3)));
                        }
                    }
                }
            }
        }
        return counts;
    }

    /**
     * Marks at most {@code limit} actions the criteria select and that still count as taken out by
     * {@code invalidationId}, in one statement per table: the row is re-checked under its lock, so an action another
     * invalidation took meanwhile is not taken twice. Returns what it marked.
     */
    public List<Marked> mark(UUID invalidationId, Criteria criteria, int limit) throws SQLException {
        List<Marked> marked = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables(criteria)) {
                Where where = where(criteria, table);
                // "still counts" stands outside the subquery too: PostgreSQL re-checks the outer conditions on a row
                // another transaction changed meanwhile (a message rejected as abuse while this waited for its lock)
                try (PreparedStatement update = connection.prepareStatement("update " + table
                        + " set invalidation_id = ? where " + counts(table) + " and action_id in (select action_id from "
                        + table + " where " + where.sql() + " order by action_id limit ?) returning " + returning(table))) {
                    update.setObject(1, invalidationId);
                    int next = bind(update, where.values(), 2);
                    update.setInt(next, limit - marked.size());
                    read(update, marked);
                }
            }
        }
        return marked;
    }

    /** Puts back every action {@code invalidationId} took out, and only those; returns them. */
    public List<Marked> unmark(UUID invalidationId) throws SQLException {
        List<Marked> unmarked = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : List.of(SIGNATURE, ONLINE_ACTION, MESSAGE)) {
                // a message rejected as abuse after it was invalidated stays out: its rejection took it out too
                try (PreparedStatement update = connection.prepareStatement("update " + table
                        + " set invalidation_id = null where invalidation_id = ?"
                        + (MESSAGE.equals(table) ? " and abuse is not true" : "") + " returning " + returning(table))) {
                    update.setObject(1, invalidationId);
                    read(update, unmarked);
                }
            }
        }
        return unmarked;
    }

    public void insert(Row row) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                insert into invalidation (invalidation_id, selection, reason, actions, breakdown, created_by, created_at)
                values (?, cast(? as jsonb), ?, ?, cast(? as jsonb), ?, ?)""")) {
            insert.setObject(1, row.invalidationId());
            insert.setString(2, row.selection());
            insert.setString(3, row.reason());
            insert.setInt(4, row.actions());
            insert.setString(5, row.breakdown());
            insert.setString(6, row.createdBy());
            insert.setObject(7, utc(row.createdAt()));
            insert.executeUpdate();
        }
    }

    /** The per case and entity counts of what the invalidation marked, as JSON. */
    public void breakdown(UUID invalidationId, String breakdown) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "update invalidation set breakdown = cast(? as jsonb) where invalidation_id = ?")) {
            update.setString(1, breakdown);
            update.setObject(2, invalidationId);
            update.executeUpdate();
        }
    }

    /**
     * Whether this transaction is now the only invalidation or reversal being committed in the database (held until
     * it ends; never waited for). The relay's re-send after a PostgreSQL crash is bounded by what committed while its
     * batch was out, which the startup check sizes for at most two of them; nothing enforced it across instances and
     * coordinators (a read-only review, 6 December 2026).
     */
    public boolean onlyOneAtATime() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select pg_try_advisory_xact_lock(hashtext('w4r-invalidation'), 0)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The invalidation, locked until the end of the transaction (a reversal); null if there is none. */
    public Row lock(UUID invalidationId) throws SQLException {
        List<Row> rows = select("where invalidation_id = ? for update", invalidationId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public Row find(UUID invalidationId) throws SQLException {
        List<Row> rows = select("where invalidation_id = ?", invalidationId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Newest first. */
    public List<Row> list(int offset, int limit) throws SQLException {
        return select("order by created_at desc, invalidation_id offset ? limit ?", offset, limit);
    }

    public void reversed(UUID invalidationId, String by, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "update invalidation set reversed_at = ?, reversed_by = ? where invalidation_id = ?")) {
            update.setObject(1, utc(at));
            update.setString(2, by);
            update.setObject(3, invalidationId);
            update.executeUpdate();
        }
    }

    private List<Row> select(String rest, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "select invalidation_id, selection::text, reason, actions, breakdown::text, created_by, created_at, "
                        + "reversed_at, reversed_by from invalidation " + rest)) {
            bind(select, List.of(values), 1);
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getObject(1, UUID.class), r.getString(2), r.getString(3), r.getInt(4),
                            r.getString(5), r.getString(6), instant(r.getTimestamp(7)), instant(r.getTimestamp(8)),
                            r.getString(9)));
                }
            }
            return rows;
        }
    }

    private static List<String> tables(Criteria criteria) {
        List<String> tables = new ArrayList<>(2);
        if (criteria.signatures()) {
            tables.add(SIGNATURE);
        }
        if (criteria.onlineActions()) {
            tables.add(ONLINE_ACTION);
        }
        if (criteria.messages()) {
            tables.add(MESSAGE);
        }
        return tables;
    }

    /** Only the parts given, so PostgreSQL plans each query for what it selects by (the time index, an entity). */
    private static Where where(Criteria c, String table) {
        List<String> parts = new ArrayList<>(List.of(counts(table)));
        List<Object> values = new ArrayList<>();
        if (c.campaignId() != null) {
            parts.add("campaign_id = ?");
            values.add(c.campaignId());
        }
        if (c.caseId() != null) {
            parts.add("case_id = ?");
            values.add(c.caseId());
        }
        if (c.entityId() != null) {
            parts.add("entity_id = ?");
            values.add(c.entityId());
        }
        if (c.from() != null) {
            parts.add("recorded_at >= ?");
            values.add(utc(c.from()));
        }
        if (c.to() != null) {
            parts.add("recorded_at < ?");
            values.add(utc(c.to()));
        }
        if (SIGNATURE.equals(table)) {
            if (c.emailDomainHmac() != null) {
                parts.add("email_domain_hmac = decode(?, 'hex')");
                values.add(c.emailDomainHmac());
            }
            if (c.country() != null) {
                parts.add("country = ?");
                values.add(c.country());
            }
        } else if (ONLINE_ACTION.equals(table) && c.type() != null) {
            parts.add("type = ?");
            values.add(c.type());
        }
        return new Where(String.join(" and ", parts), values);
    }

    /**
     * That a message still counts: no invalidation took it out, nor an abuse rejection (a rejection whose reason is not
     * known, {@code abuse} null, may have: such a message is never selected). The anomaly scan counts by it too.
     */
    public static final String MESSAGE_COUNTS = "invalidation_id is null and (status <> 'rejected' or abuse = false)";

    /** That a row of {@code table} still counts. */
    private static String counts(String table) {
        return MESSAGE.equals(table) ? MESSAGE_COUNTS : "invalidation_id is null";
    }

    private static String returning(String table) {
        return switch (table) {
            case SIGNATURE -> "action_id, campaign_id, case_id, entity_id, 'signature', occurred_at, counted_country";
            case MESSAGE -> "action_id, campaign_id, case_id, entity_id, 'message', occurred_at, null";
            default -> "action_id, campaign_id, case_id, entity_id, type, occurred_at, null";
        };
    }

    private static void read(PreparedStatement statement, List<Marked> into) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                into.add(new Marked(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), instant(rows.getTimestamp(6)), rows.getString(7)));
            }
        }
    }

    /** Binds {@code values} from parameter {@code first}; returns the next parameter's index. */
    private static int bind(PreparedStatement statement, List<Object> values, int first) throws SQLException {
        int i = first;
        for (Object value : values) {
            statement.setObject(i++, value);
        }
        return i;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
