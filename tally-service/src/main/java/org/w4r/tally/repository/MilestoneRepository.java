package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.tally.model.Milestone;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Milestones and the case totals they are read from. Inside a transaction (a consumer's batch) every statement runs on
 * that transaction's connection, so a batch sees its own counts.
 */
@ApplicationScoped
public class MilestoneRepository {
    /** A case of a campaign. */
    public record CaseKey(String campaignId, String caseId) {
    }

    @Inject
    AgroalDataSource dataSource;

    /** The live totals of {@code cases} (absent: nothing counted yet). */
    public Map<CaseKey, Long> totals(Set<CaseKey> cases) {
        Map<CaseKey, Long> totals = new HashMap<>();
        if (cases.isEmpty()) {
            return totals;
        }
        List<String> campaigns = new ArrayList<>(), ids = new ArrayList<>();
        cases.forEach(k -> {
            campaigns.add(k.campaignId());
            ids.add(k.caseId());
        });
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select s.campaign_id, s.case_id, sum(s.count) from tally_summary s
                  join unnest(?::varchar[], ?::varchar[]) as k(campaign_id, case_id)
                    on s.campaign_id = k.campaign_id and s.case_id = k.case_id
                 group by s.campaign_id, s.case_id""")) {
            ps.setArray(1, c.createArrayOf("varchar", campaigns.toArray()));
            ps.setArray(2, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    totals.put(new CaseKey(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the case totals", e);
        }
        return totals;
    }

    /**
     * A case is held for milestones while {@code webhook_case_state} holds a hold on it: the state the webhook consumer
     * keeps from {@code cases}, in the transaction that queues {@code case.held} and {@code case.released}. Deciding
     * from that one row, in the statement that records or announces, is what keeps a held case quiet: a decision from
     * each instance's in-memory reference data alone raced the hold (CI, 4 December 2026: a sweep that read the cases
     * before a hold arrived announced a milestone recorded under it), and two instances' copies can disagree.
     * <p>
     * And while the caller's read model holds one (the {@code varchar[]} parameter): that row alone is as late as the
     * webhook consumer, which a rebalance after an instance dies stops for a session timeout, and a failing batch for
     * its retries, while the other instances go on counting the case. A milestone crossed meanwhile was announced to
     * the entity sites of a case the public counter already hid (a read-only review, 6 December 2026). Held if either
     * copy says so.
     */
    private static final String UNHELD = """
            not exists (select 1 from webhook_case_state s where s.case_id = %1$s and s.hold_id is not null)
            and not (%1$s = any(?::varchar[]))""";

    /**
     * Records those of {@code reached} not recorded before and returns exactly those (each is recorded once, ever), each
     * {@code announced} unless its case is held ({@link #UNHELD}, {@code held}: the cases the caller's read model has
     * on hold); the {@code announced} passed in is not read.
     */
    public List<Milestone> record(List<Milestone> reached, Set<String> held) {
        List<Milestone> recorded = new ArrayList<>();
        if (reached.isEmpty()) {
            return recorded;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into milestone (campaign_id, case_id, threshold, goal, percent, reached_at, announced)
                select ?, ?, ?, ?, ?, ?, %s on conflict do nothing
                returning campaign_id, case_id, threshold, goal, percent, reached_at, announced"""
                .formatted(UNHELD.formatted("?")))) {
            for (Milestone m : reached) { // one statement per milestone: there are a handful per case, ever
                ps.setString(1, m.campaignId());
                ps.setString(2, m.caseId());
                ps.setLong(3, m.threshold());
                ps.setLong(4, m.goal());
                ps.setInt(5, m.percent());
                ps.setTimestamp(6, Timestamp.from(m.reachedAt()));
                ps.setString(7, m.caseId());
                ps.setString(8, m.caseId());
                ps.setArray(9, c.createArrayOf("varchar", held.toArray()));
                recorded.addAll(read(ps));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record milestones", e);
        }
        return recorded;
    }

    /**
     * Marks announced the milestones of {@code campaignId} recorded while their case was held and whose case no longer
     * is ({@link #UNHELD}); returns them. The release's own transaction announces its case's; this finds any that a
     * batch recorded as held while the release went by.
     */
    public List<Milestone> announceReleased(String campaignId, Set<String> held) {
        return announceWhere("campaign_id", campaignId, held);
    }

    /** Marks announced the milestones of a case recorded while it was held, unless it is held again; returns them. */
    public List<Milestone> announce(String caseId, Set<String> held) {
        return announceWhere("case_id", caseId, held);
    }

    private List<Milestone> announceWhere(String column, String value, Set<String> held) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update milestone m set announced = true where %s = ? and not announced and %s
                returning campaign_id, case_id, threshold, goal, percent, reached_at, announced"""
                .formatted(column, UNHELD.formatted("m.case_id")))) {
            ps.setString(1, value);
            ps.setArray(2, c.createArrayOf("varchar", held.toArray()));
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot announce milestones", e);
        }
    }

    /** A campaign's milestones, newest first. */
    public List<Milestone> list(String campaignId, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select campaign_id, case_id, threshold, goal, percent, reached_at, announced from milestone
                 where campaign_id = ? order by reached_at desc, case_id, percent desc limit ?""")) {
            ps.setString(1, campaignId);
            ps.setInt(2, limit);
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read milestones", e);
        }
    }

    private static List<Milestone> read(PreparedStatement ps) throws SQLException {
        List<Milestone> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new Milestone(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant(), rs.getBoolean(7)));
            }
        }
        return list;
    }
}
