package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Credential;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.security.Roles;

import java.time.Instant;

/**
 * Entity API keys and staff tokens. A new secret is returned once and never again; only its SHA-256 is stored and
 * published. A revocation is published at once, so every service refuses the key within the propagation delay.
 */
@ApplicationScoped
public class CredentialService {
    @Inject
    ReferencePublisher publisher;

    /** A credential just issued: the only moment its secret is visible. */
    public record Issued(Credential credential, String secret, long outboxId) {
    }

    @Transactional
    public Issued issueEntityKey(String entityId) {
        ActionEntity entity = EntityService.find(entityId);
        String secret = Credentials.newSecret();
        Credential key = store(entityId, Roles.ENTITY, entityId, secret);
        return new Issued(key, secret, publisher.entity(entity));
    }

    @Transactional
    public Issued issueStaffToken(String principal, String role) {
        Validation.text("principal", principal, 100);
        Validation.oneOf("role", role, Roles.STAFF);
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
        Credential token = store(principal, role, null, secret);
        return new Issued(token, secret, publisher.staff(principal, role));
    }

    /** Returns the outbox id of the announcement. */
    @Transactional
    public long revoke(String owner, String keyId, boolean entity) {
        Credential key = Credential.findById(keyId);
        if (key == null || (entity ? !owner.equals(key.entityId) : !(key.entityId == null && owner.equals(key.principal)))) {
            throw ProblemException.notFound("key", keyId);
        }
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
        }
        return entity ? publisher.entity(EntityService.find(owner)) : publisher.staff(owner, key.role);
    }

    /** Stores a credential for a secret the caller already holds (demo credentials); returns false if known. */
    @Transactional
    public boolean register(String principal, String role, String entityId, String secret) {
        if (Credential.count("sha256", Credentials.sha256(secret)) > 0) {
            return false;
        }
        store(principal, role, entityId, secret);
        if (entityId != null) {
            publisher.entity(EntityService.find(entityId));
        } else {
            publisher.staff(principal, role);
        }
        return true;
    }

    private static Credential store(String principal, String role, String entityId, String secret) {
        Credential credential = new Credential();
        credential.keyId = Credentials.newKeyId();
        credential.sha256 = Credentials.sha256(secret);
        credential.principal = principal;
        credential.role = role;
        credential.entityId = entityId;
        credential.createdAt = Instant.now();
        credential.persist();
        return credential;
    }
}
