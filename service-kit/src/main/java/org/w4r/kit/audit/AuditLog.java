package org.w4r.kit.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.csv.CsvTable;
import org.w4r.kit.openapi.RequiredUnlessNullable;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the audit trail for coordinators: newest first, filtered, as JSON or CSV. */
@ApplicationScoped
public class AuditLog {
    public static final int MAX_LIMIT = 10_000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** What to read; every field may be null. {@code action} matches a whole action or a prefix ending in '.'. */
    public record Filter(Instant from, Instant to, String actor, String entityId, String action, String subjectId, int limit) {
    }

    @RequiredUnlessNullable
    @Schema(description = "One write in the audit trail")
    public record Record(long id,
                         Instant at,
                         @Schema(description = "staff principal, entity id of an entity key, or 'system'") String actor,
                         @Schema(nullable = true) String actorRole,
                         @Schema(nullable = true, description = "the entity an entity key acts for") String actorEntity,
                         @Schema(nullable = true, description = "the id (never the secret) of the key or token used") String keyId,
                         @Schema(nullable = true, description = "the client address as the service saw it") String source,
                         @Schema(example = "case.hold.placed") String action,
                         @Schema(example = "case") String subjectType,
                         @Schema(nullable = true) String subjectId,
                         @Schema(nullable = true, description = "the entity the write concerns") String entityId,
                         @Schema(description = "ids, counts, states and instants; never personal data")
                         Map<String, Object> detail) {
    }

    @RequiredUnlessNullable
    @Schema(description = "A page of the audit trail, newest first")
    public record Page(List<Record> entries,
                       @Schema(description = "more entries match than the limit let through") boolean more)
            implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            for (Record r : entries) {
                rows.add(java.util.Arrays.asList(r.id(), r.at().toString(), r.actor(), r.actorRole(), r.actorEntity(),
                        r.keyId(), r.source(), r.action(), r.subjectType(), r.subjectId(), r.entityId(),
                        r.detail().isEmpty() ? null : r.detail().toString()));
            }
            return new CsvTable("audit-trail", List.of("id", "at", "actor", "actorRole", "actorEntity", "keyId", "source",
                    "action", "subjectType", "subjectId", "entityId", "detail"), rows);
        }
    }

    public Page read(Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                select id, at, actor, actor_role, actor_entity, key_id, source, action, subject_type, subject_id,
                       entity_id, detail::text
                from audit_entry where true""");
        List<Object> values = new ArrayList<>();
        if (filter.from() != null) {
            sql.append(" and at >= ?");
            values.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and at < ?");
            values.add(Timestamp.from(filter.to()));
        }
        if (filter.actor() != null) {
            sql.append(" and actor = ?");
            values.add(filter.actor());
        }
        if (filter.entityId() != null) {
            sql.append(" and (entity_id = ? or actor_entity = ?)");
            values.add(filter.entityId());
            values.add(filter.entityId());
        }
        if (filter.action() != null) {
            if (filter.action().endsWith(".")) {
                sql.append(" and starts_with(action, ?)");
            } else {
                sql.append(" and action = ?");
            }
            values.add(filter.action());
        }
        if (filter.subjectId() != null) {
            sql.append(" and subject_id = ?");
            values.add(filter.subjectId());
        }
        sql.append(" order by id desc limit ?");
        values.add(filter.limit() + 1);
        List<Record> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                select.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Record(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11), detail(rs.getString(12))));
                }
            }
        }
        boolean more = entries.size() > filter.limit();
        return new Page(more ? entries.subList(0, filter.limit()) : entries, more);
    }

    private Map<String, Object> detail(String text) {
        try {
            return json.readValue(text, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException("an audit entry whose detail is not JSON", e);
        }
    }
}
