package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** An entity API key or a staff token, stored as the SHA-256 of its secret. */
@Entity
@Table(name = "credential")
public class Credential extends PanacheEntityBase {
    /**
     * A new staff principal: it appears in URLs ({@code /staff/{principal}/tokens/...}), in logs of who did what, and
     * on the compacted {@code credentials} topic every service reads. A name for the token, not an email: an address
     * given as one was published there for good (a read-only review, 6 December 2026), so {@code @} is refused.
     */
    public static final String PRINCIPAL = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$";
    /** A principal as one issued before {@code @} was refused may be: still found, to be listed and revoked. */
    public static final String EXISTING_PRINCIPAL = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$";
    /** As {@code Credentials.newKeyId} makes them. */
    public static final String KEY_ID = "^key_[A-Za-z0-9_-]{1,36}$";

    @Id
    public String keyId;
    public String sha256;
    public String principal;
    public String role;
    public String entityId;
    public Instant createdAt;
    public Instant revokedAt;
    public Instant expiresAt;
    /** Registered by the demo (DemoLoader): revoked at a start with the demo off. */
    public boolean demo;
    /** An entity key its own entity issued (a rotation), counted by the entity's daily quota. */
    public boolean selfIssued;
    /** The outbox row of its revocation: a revocation sent again is answered from it, without publishing again. */
    public Long revokedOutboxId;
    /** The outbox row of the tombstone announcing its expiry ({@code CredentialExpiry}): announced once. */
    public Long expiryOutboxId;

    public boolean active(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    public static List<Credential> activeForEntity(String entityId) {
        return list("entityId = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2) order by createdAt",
                entityId, Instant.now());
    }

    /** When the entity issued its own keys since {@code since}, oldest first. */
    public static List<Instant> selfIssuedSince(String entityId, Instant since) {
        return getEntityManager().createQuery("select c.createdAt from Credential c where c.entityId = ?1 "
                + "and c.selfIssued = true and c.createdAt > ?2 order by c.createdAt", Instant.class)
                .setParameter(1, entityId).setParameter(2, since).getResultList();
    }
}
