package org.w4r.petition.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.petition.model.RetentionRun;
import org.w4r.petition.model.RetentionRun.CaseData;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The retention schedule's storage: each campaign's last handover, what personal data a campaign still holds, the
 * anonymisation itself, and the record of every run. Inside a transaction each statement runs on its connection.
 */
@ApplicationScoped
public class RetentionRepository {
    /** What a signature keeps about its signer besides the keyed email hashes, which stay (they de-duplicate). */
    private static final String SIGNER_DATA =
            "(name is not null or country is not null or counted_country is not null or show_name or contact_me"
                    + " or email_domain_hmac is not null)";
    private static final String AUTHOR_DATA = "(author_name is not null or author_country is not null)";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** A handover of the campaign at {@code at}; the latest stays (events may come in any order, or twice). */
    public void handover(String campaignId, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement upsert = c.prepareStatement("""
                insert into campaign_handover (campaign_id, last_handover_at) values (?, ?)
                on conflict (campaign_id) do update
                    set last_handover_at = greatest(campaign_handover.last_handover_at, excluded.last_handover_at)""")) {
            upsert.setString(1, campaignId);
            upsert.setObject(2, utc(at));
            upsert.executeUpdate();
        }
    }

    public Map<String, Instant> lastHandovers() throws SQLException {
        Map<String, Instant> last = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "select campaign_id, last_handover_at from campaign_handover"); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                last.put(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return last;
    }

    /** What the campaign still holds, by case (a dry run). One scan of each table: runs are rare. */
    public List<CaseData> held(String campaignId) throws SQLException {
        return byCase(campaignId, """
                select case_id, count(*) from signature where campaign_id = ? and %s group by case_id""".formatted(SIGNER_DATA), """
                select case_id, count(*) from message where campaign_id = ? and %s group by case_id""".formatted(AUTHOR_DATA));
    }

    /**
     * Forgets signer names, countries (the one given, and the one the tally counted it under), consents and email
     * domains (a personal domain names its owner; since 7 December 2026), and message authors, of the whole campaign;
     * keeps the keyed email hashes (a recount still counts a person once) and every count. Returns what it changed,
     * by case.
     */
    public List<CaseData> anonymise(String campaignId) throws SQLException {
        return byCase(campaignId, """
                with changed as (update signature set name = null, country = null, counted_country = null,
                                                      show_name = false, contact_me = false, email_domain_hmac = null
                                 where campaign_id = ? and %s returning case_id)
                select case_id, count(*) from changed group by case_id""".formatted(SIGNER_DATA), """
                with changed as (update message set author_name = null, author_country = null
                                 where campaign_id = ? and %s returning case_id)
                select case_id, count(*) from changed group by case_id""".formatted(AUTHOR_DATA));
    }

    private List<CaseData> byCase(String campaignId, String signatureSql, String messageSql) throws SQLException {
        Map<String, long[]> counts = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            count(c, signatureSql, campaignId, counts, 0);
            count(c, messageSql, campaignId, counts, 1);
        }
        List<CaseData> cases = new ArrayList<>(counts.size());
        counts.forEach((caseId, n) -> cases.add(new CaseData(caseId, n[0], n[1])));
        return cases;
    }

    private static void count(Connection c, String sql, String campaignId, Map<String, long[]> counts, int column)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, campaignId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.computeIfAbsent(rows.getString(1), k -> new long[2])[column] = rows.getLong(2);
                }
            }
        }
    }

    public void record(RetentionRun run) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                insert into retention_run (run_id, campaign_id, dry_run, due_at, started_at, finished_at, signatures,
                                           messages, by_case, run_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)""")) {
            insert.setObject(1, run.runId());
            insert.setString(2, run.campaignId());
            insert.setBoolean(3, run.dryRun());
            insert.setObject(4, utc(run.dueAt()));
            insert.setObject(5, utc(run.startedAt()));
            insert.setObject(6, utc(run.finishedAt()));
            insert.setLong(7, run.signatures());
            insert.setLong(8, run.messages());
            insert.setString(9, json.writeValueAsString(run.byCase()));
            insert.setString(10, run.runBy());
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The runs, newest first, of one campaign or ({@code campaignId} null) of all. */
    public List<RetentionRun> runs(String campaignId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement("""
                select run_id, campaign_id, dry_run, due_at, started_at, finished_at, signatures, messages, by_case, run_by
                from retention_run where cast(? as varchar) is null or campaign_id = ?
                order by started_at desc, run_id limit ?""")) {
            select.setString(1, campaignId);
            select.setString(2, campaignId);
            select.setInt(3, limit);
            List<RetentionRun> runs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(new RetentionRun(rows.getObject(1, UUID.class), rows.getString(2), rows.getBoolean(3),
                            instant(rows, 4), instant(rows, 5), instant(rows, 6), rows.getLong(7), rows.getLong(8),
                            json.readValue(rows.getString(9), new TypeReference<List<CaseData>>() { }), rows.getString(10)));
                }
            }
            return runs;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When each campaign was first anonymised (its first run that was not dry). */
    public Map<String, Instant> retired() throws SQLException {
        Map<String, Instant> retired = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "select campaign_id, min(finished_at) from retention_run where not dry_run group by campaign_id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                retired.put(rows.getString(1), instant(rows, 2));
            }
        }
        return retired;
    }

    public Optional<Instant> retiredAt(String campaignId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "select min(finished_at) from retention_run where campaign_id = ? and not dry_run")) {
            select.setString(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getObject(1) != null ? Optional.of(instant(rows, 1)) : Optional.empty();
            }
        }
    }

    /**
     * Serialises runs of one campaign across instances until the transaction ends; false if another holds it, or a
     * new action of the campaign is being written ({@link #holdOffRuns}).
     */
    public boolean tryLock(String campaignId) throws SQLException {
        return lock(campaignId, "pg_try_advisory_xact_lock");
    }

    /**
     * For a new action of a campaign that may be anonymised, in its transaction, before it asks whether it was: false
     * while a run of the campaign is under way; else no run starts until the action's transaction ends. A run's
     * update cannot see a row not yet committed, and a campaign once anonymised is not run again by the schedule, so
     * an action committed alongside a run kept its names for good (a read-only review, 6 December 2026). Shared, so
     * actions do not wait for each other; tried, not waited for: a run scans the whole signature table, and actions
     * waiting for it would each hold a pooled connection (as erasures did for a signer list).
     */
    public boolean holdOffRuns(String campaignId) throws SQLException {
        return lock(campaignId, "pg_try_advisory_xact_lock_shared");
    }

    private boolean lock(String campaignId, String function) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement lock = c.prepareStatement(
                "select " + function + "(hashtext('w4r-retention'), hashtext(?))")) {
            lock.setString(1, campaignId);
            try (ResultSet rows = lock.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }
}
