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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many accepted actions that still count each entity, signer email domain (its keyed hash) and signer country took
 * in a recent window and in the baseline before it: one scan of the {@code recorded_at} indexes, both periods and all
 * three dimensions in one statement. Online actions have an entity only (no signer).
 *
 * <p>Only the values a scan can list leave the database: per dimension the {@code listed} fastest, and every value
 * with at least {@code minRecent} actions in the window (a value with fewer cannot trend). Read-only audit,
 * 4 December 2026: every group crossed into the heap of every instance, every minute, and the number of email domains
 * is the caller's to choose (any domain passes, each new one with a full bucket): an entity key at its rate with a
 * fresh domain per signature makes a million groups in a quarter of an hour, and the heap has about 576 MB.
 *
 * <p>And never more than {@link #MAX_PER_DIMENSION} per dimension, whatever the caller asks: {@code minRecent} is the
 * coordinator's threshold times the window, and at 0.1 a minute over one minute it was 0, which every value passes, so
 * the scan read every domain of the baseline again (found by a read-only review, 6 December 2026). At least 1 here
 * too: a value with nothing in the window cannot trend.
 */
@ApplicationScoped
public class AnomalyRepository {
    /**
     * The accepted actions that still count of one campaign over one period (bound by {@link #bindPeriod}), both scans'
     * rows: the {@code recorded_at} indexes of the three tables. Messages since 7 December 2026, when a bulk
     * invalidation began to select them: a message flood trends by its entity, and the invalidation the anomaly page
     * opens previews what the scan counted.
     */
    private static final String ACCEPTED = """
            with accepted as (
                select entity_id, email_domain_hmac, country, recorded_at from signature
                 where campaign_id = ? and recorded_at >= ? and recorded_at < ? and invalidation_id is null
                union all
                select entity_id, null, null, recorded_at from online_action
                 where campaign_id = ? and recorded_at >= ? and recorded_at < ? and invalidation_id is null
                union all
                select entity_id, null, null, recorded_at from message
                 where campaign_id = ? and recorded_at >= ? and recorded_at < ? and %s)
            """.formatted(InvalidationRepository.MESSAGE_COUNTS);

    private static final String RATES = ACCEPTED + """
            , counted as (
            select grouping(entity_id) = 0 as by_entity, grouping(email_domain_hmac) = 0 as by_domain,
                   coalesce(entity_id, encode(email_domain_hmac, 'hex'), country) as value,
                   count(*) filter (where recorded_at >= ?) as recent,
                   count(*) filter (where recorded_at < ?) as baseline
              from accepted
             group by grouping sets ((entity_id), (email_domain_hmac), (country))),
            ranked as (
            select counted.*, row_number() over (partition by by_entity, by_domain
                                                 order by recent desc, value collate "C") as place
              from counted where value is not null)
            select by_entity, by_domain, value, recent, baseline, place from ranked
             where place <= ? or (recent >= ? and place <= ?)""";

    /**
     * The values that ran at least {@code atLeast} times over {@code [from, to)}, by dimension: the scheduled scan's
     * baseline (AnomalyWatch), where a value slower than once a minute counts as once a minute whatever it was, so only
     * the faster ones need reading. One scan of the same rows as {@link #RATES}; nothing when more than {@code most}
     * values in all qualify (then the caller reads its baselines as a scan does, every time).
     */
    private static final String STEADY = ACCEPTED + """
            select grouping(entity_id) = 0 as by_entity, grouping(email_domain_hmac) = 0 as by_domain,
                   coalesce(entity_id, encode(email_domain_hmac, 'hex'), country) as value, count(*)
              from accepted
             group by grouping sets ((entity_id), (email_domain_hmac), (country))
            having count(*) >= ?
             limit ?""";

    public Optional<Map<Dimension, Map<String, Long>>> steady(String campaignId, Instant from, Instant to, long atLeast,
                                                             int most) throws SQLException {
        Map<Dimension, Map<String, Long>> values = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            values.put(d, new HashMap<>());
        }
        int read = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STEADY)) {
            int i = bindPeriod(ps, campaignId, from, to);
            ps.setLong(i++, Math.max(1, atLeast));
            ps.setInt(i, most + 1); // one more, read to tell that there were more
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (++read > most) {
                        return Optional.empty();
                    }
                    String value = rs.getString(3);
                    if (value == null) {
                        continue; // signatures without a domain or country on record form no value
                    }
                    Dimension dimension = rs.getBoolean(1) ? Dimension.ENTITY
                            : rs.getBoolean(2) ? Dimension.EMAIL_DOMAIN : Dimension.COUNTRY;
                    values.get(dimension).put(value.trim(), rs.getLong(4));
                }
            }
        }
        return Optional.of(values);
    }

    /**
     * The most values of one dimension a scan reads: the fastest first, so every value that can trend is among them
     * unless more than this many run at the threshold at once (then the scan says {@code truncated}).
     */
    public static final int MAX_PER_DIMENSION = 1_000;

    public enum Dimension { ENTITY, EMAIL_DOMAIN, COUNTRY }

    /** One value of a dimension: its actions in the window and in the baseline before it. */
    public record Count(Dimension dimension, String value, long recent, long baseline) {
    }

    /**
     * What a scan read: at most {@link #MAX_PER_DIMENSION} values per dimension; {@code truncated} when a dimension
     * had more at or over {@code minRecent} (those left out run no faster than the last one read).
     */
    public record Counts(List<Count> counts, boolean truncated) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Counts over {@code [baselineFrom, windowFrom)} and {@code [windowFrom, to)}: per dimension the {@code listed}
     * values with the most actions in the window (ties by value), and every value with at least {@code minRecent} there.
     * A value absent from both periods is absent; signatures without a domain or country on record form no row of that
     * dimension.
     */
    public List<Count> counts(String campaignId, Instant baselineFrom, Instant windowFrom, Instant to, int listed,
                              long minRecent) throws SQLException {
        return scan(campaignId, baselineFrom, windowFrom, to, listed, minRecent).counts();
    }

    /** As {@link #counts}, and whether a dimension had more values than a scan reads. */
    public Counts scan(String campaignId, Instant baselineFrom, Instant windowFrom, Instant to, int listed,
                       long minRecent) throws SQLException {
        List<Count> counts = new ArrayList<>();
        boolean truncated = false;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RATES)) {
            int i = bindPeriod(ps, campaignId, baselineFrom, to);
            ps.setTimestamp(i++, Timestamp.from(windowFrom));
            ps.setTimestamp(i++, Timestamp.from(windowFrom));
            ps.setInt(i++, Math.min(listed, MAX_PER_DIMENSION));
            ps.setLong(i++, Math.max(1, minRecent));
            ps.setInt(i, MAX_PER_DIMENSION + 1); // one more, read to tell that there were more, then dropped
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(6) > MAX_PER_DIMENSION) {
                        truncated = true;
                        continue;
                    }
                    String value = rs.getString(3); // never null: actions without a domain or country form no value
                    Dimension dimension = rs.getBoolean(1) ? Dimension.ENTITY
                            : rs.getBoolean(2) ? Dimension.EMAIL_DOMAIN : Dimension.COUNTRY;
                    counts.add(new Count(dimension, value.trim(), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return new Counts(counts, truncated);
    }

    /** Binds {@link #ACCEPTED}'s campaign and period, for each table; returns the next parameter's index. */
    private static int bindPeriod(PreparedStatement ps, String campaignId, Instant from, Instant to) throws SQLException {
        int i = 1;
        for (int table = 0; table < 3; table++) {
            ps.setString(i++, campaignId);
            ps.setTimestamp(i++, Timestamp.from(from));
            ps.setTimestamp(i++, Timestamp.from(to));
        }
        return i;
    }
}
