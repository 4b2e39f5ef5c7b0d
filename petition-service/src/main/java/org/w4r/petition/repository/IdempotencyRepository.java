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
import java.util.Set;
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
     * Stores each answer under its key, in one statement and in key order (so two transactions never wait on each
     * other in a cycle), as the last write of the transaction that applied the requests: one row written per key, never
     * a placeholder updated later. A key already stored, or inserted by a concurrent transaction (this waits for it to
     * end: it counts as held once that one commits), is not stored again. {@code answers} holds each key once. Returns,
     * for each, whether it is held by another request. (One statement for all, not one each, since 7 December 2026:
     * a group of single signatures paid PostgreSQL's per-statement work once per key, issue 20.)
     */
    public boolean[] keep(List<Kept> answers) throws SQLException {
        boolean[] held = new boolean[answers.size()];
        if (answers.isEmpty()) {
            return held;
        }
        List<Kept> rows = new ArrayList<>(answers);
        rows.sort(Comparator.comparing(Kept::principal).thenComparing(Kept::key));
        Set<String> stored = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement keep = c.prepareStatement("""
                insert into idempotency_key (principal, key, request_hash, status, response)
                select principal, key, request_hash, status, response
                from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::text[]) with ordinality
                     as u (principal, key, request_hash, status, response, n)
                order by n
                on conflict do nothing
                returning principal, key""")) {
            keep.setArray(1, c.createArrayOf("varchar", rows.stream().map(Kept::principal).toArray()));
            keep.setArray(2, c.createArrayOf("varchar", rows.stream().map(Kept::key).toArray()));
            keep.setArray(3, c.createArrayOf("varchar", rows.stream().map(Kept::fingerprint).toArray()));
            keep.setArray(4, c.createArrayOf("int4", rows.stream().map(Kept::status).toArray()));
            keep.setArray(5, c.createArrayOf("text", rows.stream().map(Kept::response).toArray()));
            try (ResultSet keys = keep.executeQuery()) {
                while (keys.next()) {
                    stored.add(keys.getString(1) + '\n' + keys.getString(2));
                }
            }
        }
        for (int i = 0; i < answers.size(); i++) {
            held[i] = !stored.contains(answers.get(i).principal() + '\n' + answers.get(i).key());
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
