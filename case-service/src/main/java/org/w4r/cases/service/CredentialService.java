package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Credential;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.security.Roles;

import java.time.Duration;
import java.time.Instant;

/**
 * Entity API keys and staff tokens. A new secret is returned once and never again; only its SHA-256 is stored and
 * published, one credential per event. A revocation is published at once, so every service refuses the key within
 * the propagation delay.
 *
 * <p>Case managers issue keys. An entity's own key may only rotate: it gets a new key while it holds fewer than
 * {@link #MAX_ACTIVE_ENTITY_KEYS} active ones, and must revoke the old one to rotate again. (A leaked key once
 * minted keys without bound, and every mint republished all of them in one ever-growing event.)
 */
@ApplicationScoped
public class CredentialService {
    public static final int MAX_ACTIVE_ENTITY_KEYS = 3;
    static final Duration ENTITY_KEY_LIFETIME = Duration.ofDays(365);
    static final Duration ENTITY_KEY_MAX_LIFETIME = Duration.ofDays(2 * 365);
    static final Duration STAFF_TOKEN_LIFETIME = Duration.ofDays(90);
    static final Duration STAFF_TOKEN_MAX_LIFETIME = Duration.ofDays(365);

    @Inject
    ReferencePublisher publisher;

    @Inject
    AuditTrail audit;

    /** A credential just issued: the only moment its secret is visible. */
    public record Issued(Credential credential, String secret, long outboxId) {
    }

    @Transactional
    public Issued issueEntityKey(String entityId, Instant expiresAt, Caller by) {
        // the entity row is locked so two concurrent rotations cannot both pass the cap
        Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id, LockModeType.PESSIMISTIC_WRITE));
        boolean self = Roles.ENTITY.equals(by.role());
        if (self && Credential.activeForEntity(entityId).size() >= MAX_ACTIVE_ENTITY_KEYS) {
            throw new ProblemException(Problem.of(409, "too-many-keys", "Too many active keys",
                    "entity '" + entityId + "' holds " + MAX_ACTIVE_ENTITY_KEYS + " active keys; revoke one (DELETE "
                            + "/api/v1/entities/" + entityId + "/keys/{keyId}) before rotating, or ask a case manager")
                    .with("maxActiveKeys", MAX_ACTIVE_ENTITY_KEYS));
        }
        Instant expiry = expiry(expiresAt, ENTITY_KEY_LIFETIME, self ? ENTITY_KEY_LIFETIME : ENTITY_KEY_MAX_LIFETIME);
        String secret = Credentials.newSecret();
        Credential key = store(entityId, Roles.ENTITY, entityId, secret, expiry);
        audit.record("key.issued", "key", key.keyId, entityId, AuditTrail.detail("expiresAt", expiry.toString()));
        return new Issued(key, secret, publisher.credential(key));
    }

    @Transactional
    public Issued issueStaffToken(String principal, String role, Instant expiresAt) {
        // one principal, one role: two tokens issued at once for one principal take turns, so the second sees the
        // first's role (both were issued, with two roles, when each checked before the other had inserted)
        Credential.getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "staff-principal:" + principal).getSingleResult();
        Credential other = Credential.find("principal = ?1 and entityId is null", principal).firstResult();
        if (other != null && !other.role.equals(role)) {
            throw ProblemException.conflict("role-mismatch", "Principal has another role",
                    "'" + principal + "' is a " + other.role + "; one principal has one role");
        }
        if (ActionEntity.findById(principal) != null) {
            throw ProblemException.conflict("principal-is-entity", "Principal is an entity",
                    "'" + principal + "' is an entity id; choose another principal name");
        }
        String secret = Credentials.newSecret();
        Credential token = store(principal, role, null, secret,
                expiry(expiresAt, STAFF_TOKEN_LIFETIME, STAFF_TOKEN_MAX_LIFETIME));
        audit.record("token.issued", "token", token.keyId, null, AuditTrail.detail("principal", principal, "role", role,
                "expiresAt", token.expiresAt.toString()));
        return new Issued(token, secret, publisher.credential(token));
    }

    /** Returns the outbox id of the announcement (a tombstone for the key). */
    @Transactional
    public long revoke(String owner, String keyId, boolean entity) {
        if (entity) {
            Ids.existing("entity", owner);
        } else {
            Ids.existingPrincipal(owner);
        }
        // locked: a revocation's tombstone must leave after any other announcement of the key (the start-up
        // snapshot's among them), and two revocations at once record one revocation, not two
        Credential key = Credential.findById(Ids.existingKey(keyId), LockModeType.PESSIMISTIC_WRITE);
        if (key == null || (entity ? !owner.equals(key.entityId) : !(key.entityId == null && owner.equals(key.principal)))) {
            throw ProblemException.notFound("key", keyId);
        }
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
            audit.record(entity ? "key.revoked" : "token.revoked", entity ? "key" : "token", keyId,
                    entity ? owner : null, AuditTrail.detail("principal", entity ? null : owner));
        }
        return publisher.credential(key);
    }

    /** Stores a credential for a secret the caller already holds (demo credentials); returns false if known. */
    @Transactional
    public boolean register(String principal, String role, String entityId, String secret) {
        if (Credential.count("sha256", Credentials.sha256(secret)) > 0) {
            return false;
        }
        if (entityId != null) {
            EntityService.find(entityId);
        }
        Credential credential = store(principal, role, entityId, secret, null);
        publisher.credential(credential);
        audit.record("credential.registered", entityId == null ? "token" : "key", credential.keyId, entityId,
                AuditTrail.detail("principal", entityId == null ? principal : null, "role", role));
        return true;
    }

    private static Instant expiry(Instant requested, Duration byDefault, Duration longest) {
        Instant now = Instant.now();
        if (requested == null) {
            return now.plus(byDefault);
        }
        if (!requested.isAfter(now) || requested.isAfter(now.plus(longest))) {
            throw ProblemException.invalid("expiresAt", "'expiresAt' must be in the future and at most "
                    + longest.toDays() + " days from now");
        }
        return requested;
    }

    private static Credential store(String principal, String role, String entityId, String secret, Instant expiresAt) {
        Credential credential = new Credential();
        credential.keyId = Credentials.newKeyId();
        credential.sha256 = Credentials.sha256(secret);
        credential.principal = principal;
        credential.role = role;
        credential.entityId = entityId;
        credential.createdAt = Instant.now();
        credential.expiresAt = expiresAt;
        credential.persist();
        return credential;
    }
}
