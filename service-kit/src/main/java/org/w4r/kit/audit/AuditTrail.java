package org.w4r.kit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.TokenIdentityProvider;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way a service records a staff or entity-key write in its audit trail: who (the caller's principal, role,
 * entity and key id), from where (the client address), what (an action such as {@code case.hold.placed}, its subject
 * and the entity it concerns) and a few details. The entry is written in the transaction of the change, on its
 * connection, like an outbox row: it exists if and only if the change was committed.
 *
 * <p>What goes in {@code detail} is ids, counts, states and instants, never a signer's data and never a hold's
 * reason (a reason can say why a person is at risk; the trail is read by every coordinator).
 */
@ApplicationScoped
public class AuditTrail {
    private static final String INSERT = """
            insert into audit_entry (actor, actor_role, actor_entity, key_id, source, action, subject_type, subject_id,
                                     entity_id, detail)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))""";

    /** The actor of a write no caller asked for. */
    public static final String SYSTEM = "system";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentVertxRequest request;

    @Inject
    ObjectMapper json;

    /**
     * One write, as the trail keeps it. {@code detail} holds ids, counts, states and instants only (see the class).
     */
    public record Entry(String actor, String actorRole, String actorEntity, String keyId, String source,
                        String action, String subjectType, String subjectId, String entityId, Map<String, Object> detail) {
        /** The same entry about {@code entity}: what it concerns is often known only inside the transaction. */
        public Entry about(String entity) {
            return new Entry(actor, actorRole, actorEntity, keyId, source, action, subjectType, subjectId, entity, detail);
        }

        /** The same entry about the subject {@code id} (an id made inside the transaction). */
        public Entry withSubject(String id) {
            return new Entry(actor, actorRole, actorEntity, keyId, source, action, subjectType, id, entityId, detail);
        }

        /** The same entry with one more detail (a count known only once the change is made). */
        public Entry with(String key, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(detail);
            more.put(key, value);
            return new Entry(actor, actorRole, actorEntity, keyId, source, action, subjectType, subjectId, entityId, more);
        }
    }

    /** Details without their null values, in the order given: {@code detail("from", a, "to", b)}. */
    public static Map<String, Object> detail(Object... keysAndValues) {
        Map<String, Object> detail = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                detail.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return detail;
    }

    /** Records a write of the current request in the active transaction. */
    public void record(String action, String subjectType, String subjectId, String entityId, Map<String, Object> detail) {
        recordAll(List.of(entry(action, subjectType, subjectId, entityId, detail)));
    }

    /**
     * An entry of the current request, to be recorded later in a transaction on another thread (petition-service's
     * writers): who and from where are read here, on the request's thread, where they are known.
     */
    public Entry entry(String action, String subjectType, String subjectId, String entityId, Map<String, Object> detail) {
        Map<String, Object> details = detail == null ? Map.of() : detail;
        if (!Arc.container().requestContext().isActive() || identity.isAnonymous()) {
            // the service's own work (demo data at start, a scheduled job): no caller, no address
            return new Entry(SYSTEM, null, null, null, null, action, subjectType, subjectId, entityId, details);
        }
        Caller caller = identity.getAttribute(TokenIdentityProvider.CALLER);
        return new Entry(caller != null ? caller.principal() : identity.getPrincipal().getName(),
                caller == null ? null : caller.role(), caller == null ? null : caller.entityId(),
                caller == null ? null : caller.keyId(), source(), action, subjectType, subjectId, entityId, details);
    }

    /** Entries made earlier ({@link #entry}), in the active transaction, in one round trip. */
    public void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("the audit trail is written in the transaction of the change it records");
        }
        em.flush(); // the change goes first: one the database refuses fails here, not as a failed audit row
        try (Connection connection = dataSource.getConnection(); // enlisted: the transaction's own
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Entry entry : entries) {
                insert.setString(1, entry.actor());
                insert.setString(2, entry.actorRole());
                insert.setString(3, entry.actorEntity());
                insert.setString(4, entry.keyId());
                insert.setString(5, entry.source());
                insert.setString(6, entry.action());
                insert.setString(7, entry.subjectType());
                insert.setString(8, entry.subjectId());
                insert.setString(9, entry.entityId());
                insert.setString(10, json.writeValueAsString(entry.detail()));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            // the SQLException stays the cause: DatabaseProblems reads its SQLSTATE (503 when the database is down)
            throw new AuditTrailUnwritable(e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an audit detail that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The client address as the HTTP layer sees it (behind a proxy, as its forwarding settings make it); null off HTTP. */
    private String source() {
        RoutingContext context = request.getCurrent();
        if (context == null || context.request().remoteAddress() == null) {
            return null;
        }
        return context.request().remoteAddress().hostAddress();
    }

    /** A failed audit insert: the transaction rolls back, so no change is made without its entry. */
    public static final class AuditTrailUnwritable extends RuntimeException {
        AuditTrailUnwritable(SQLException cause) {
            super("cannot write the audit trail; the transaction rolls back", cause);
        }
    }
}
