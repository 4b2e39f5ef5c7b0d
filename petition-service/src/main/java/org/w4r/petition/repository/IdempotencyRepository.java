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
import java.util.List;
import java.util.Optional;

/**
 * The answers kept under Idempotency-Keys: (principal, key) → the request's fingerprint, status and body. Inside a
 * transaction each statement runs on that transaction's connection.
 */
@ApplicationScoped
public class IdempotencyRepository {
    @Inject
    AgroalDataSource dataSource;

    /** An answer to keep under its key, with the fingerprint of the request sent with it. */
    public record Kept(String principal, String key, String fingerprint, int status, String response) {
    }

    public record Stored(String fingerprint, int status, String response) {
    }

    /**
     * Stores each answer under its key, in one round trip and in key order (so two transactions never wait on each
     * other in a cycle), as the last write of the transaction that applied the requests: one row written per key, never
     * a placeholder updated later. A key already stored, or inserted by a concurrent transaction (this waits for it to
     * end: it counts as held once that one commits), is not stored again. {@code answers} holds each key once. Returns,
     * for each, whether it is held by another request.
     */
    public boolean[] keep(List<Kept> answers) throws SQLException {
        boolean[] held = new boolean[answers.size()];
        if (answers.isEmpty()) {
            return held;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> answers.get(i).principal()).thenComparing(i -> answers.get(i).key()));
        try (Connection connection = dataSource.getConnection(); PreparedStatement keep = connection.prepareStatement("""
                insert into idempotency_key (principal, key, request_hash, status, response) values (?, ?, ?, ?, ?)
                on conflict do nothing""")) {
            for (int i : order) {
                Kept k = answers.get(i);
                keep.setString(1, k.principal());
                keep.setString(2, k.key());
                keep.setString(3, k.fingerprint());
                keep.setInt(4, k.status());
                keep.setString(5, k.response());
                keep.addBatch();
            }
            int[] counts = keep.executeBatch();
            for (int k = 0; k < order.size(); k++) {
                held[order.get(k)] = counts[k] == 0;
            }
        }
        return held;
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
