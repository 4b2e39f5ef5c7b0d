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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The answers kept under Idempotency-Keys: (principal, key) → the request's fingerprint, status and body. Inside a
 * transaction each statement runs on that transaction's connection.
 */
@ApplicationScoped
public class IdempotencyRepository {
    @Inject
    AgroalDataSource dataSource;

    /** A key to claim: its principal, the key and the fingerprint of the request sent with it. */
    public record Claim(String principal, String key, String fingerprint) {
    }

    /** An answer to keep under a claimed key. */
    public record Kept(String principal, String key, int status, String response) {
    }

    public record Stored(String fingerprint, int status, String response) {
    }

    /**
     * Claims each key with a placeholder row, in key order (so two transactions never wait on each other in a cycle).
     * A key already stored, claimed by a concurrent transaction (this waits for it), or twice in the list, is taken.
     * {@code claims} may hold nulls (no key): never taken. Returns, for each, whether it was taken.
     */
    public boolean[] claim(List<Claim> claims) throws SQLException {
        boolean[] taken = new boolean[claims.size()];
        List<Integer> keyed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            Claim c = claims.get(i);
            if (c != null && !seen.add(c.principal() + '\n' + c.key())) {
                taken[i] = true;
            } else if (c != null) {
                keyed.add(i);
            }
        }
        if (keyed.isEmpty()) {
            return taken;
        }
        keyed.sort(Comparator.comparing((Integer i) -> claims.get(i).principal()).thenComparing(i -> claims.get(i).key()));
        try (Connection connection = dataSource.getConnection(); PreparedStatement claim = connection.prepareStatement("""
                insert into idempotency_key (principal, key, request_hash, status, response) values (?, ?, ?, 0, '')
                on conflict do nothing""")) {
            for (int i : keyed) {
                Claim c = claims.get(i);
                claim.setString(1, c.principal());
                claim.setString(2, c.key());
                claim.setString(3, c.fingerprint());
                claim.addBatch();
            }
            int[] counts = claim.executeBatch();
            for (int k = 0; k < keyed.size(); k++) {
                taken[keyed.get(k)] = counts[k] == 0;
            }
        }
        return taken;
    }

    /** Puts the answers in the placeholders {@link #claim} wrote, in one round trip. */
    public void keep(List<Kept> answers) throws SQLException {
        if (answers.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement keep = connection.prepareStatement(
                "update idempotency_key set status = ?, response = ? where principal = ? and key = ?")) {
            for (Kept k : answers) {
                keep.setInt(1, k.status());
                keep.setString(2, k.response());
                keep.setString(3, k.principal());
                keep.setString(4, k.key());
                keep.addBatch();
            }
            keep.executeBatch();
        }
    }

    public Optional<Stored> find(String principal, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement find = connection.prepareStatement(
                "select request_hash, status, response from idempotency_key where principal = ? and key = ?")) {
            find.setString(1, principal);
            find.setString(2, key);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(new Stored(row.getString(1), row.getInt(2), row.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** Forgets the keys used before {@code cutoff}; returns how many. */
    public int forgetBefore(Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement forget = connection.prepareStatement(
                "delete from idempotency_key where created_at < ?")) {
            forget.setTimestamp(1, Timestamp.from(cutoff));
            return forget.executeUpdate();
        }
    }
}
