package org.w4r.cases.service;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
import java.util.Collection;
import java.util.List;

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
    static final Duration QUOTA_WINDOW = Duration.ofDays(1);
    static final Duration ENTITY_KEY_LIFETIME = Duration.ofDays(365);
    static final Duration ENTITY_KEY_MAX_LIFETIME = Duration.ofDays(2 * 365);
    static final Duration STAFF_TOKEN_LIFETIME = Duration.ofDays(90);
    static final Duration STAFF_TOKEN_MAX_LIFETIME = Duration.ofDays(365);
    /** The advisory lock of one name, taken by a staff token's issue and an entity's creation (EntityService). */
    static final String PRINCIPAL_LOCK = "staff-principal:";
    /** Demo keys and tokens: a staff token's default, within an entity key's limits too. */
    public static final Duration DEMO_LIFETIME = STAFF_TOKEN_LIFETIME;

    /**
     * How many keys an entity may issue itself in any 24 hours (a case manager is never refused). The cap on active
     * keys alone let a leaked key issue and revoke in a loop: every turn a credential row, an audit entry and two
     * events that every service applies, and a tombstone kept 30 days on the credentials topic.
     */
    @ConfigProperty(name = "w4r.credentials.entity-keys-per-day", defaultValue = "10")
    int entityKeysPerDay;

    @Inject
    ReferencePublisher publisher;

    @Inject
    AuditTrail audit;

    /** A credential just issued: the only moment its secret is visible. */
    public record Issued(Credential credential, String secret, long outboxId) {
    }

    @Transactional
    @LiveCredential
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
        if (self) {
            requireDailyQuota(entityId);
        }
        Instant expiry = expiry(expiresAt, ENTITY_KEY_LIFETIME, self ? ENTITY_KEY_LIFETIME : ENTITY_KEY_MAX_LIFETIME);
        String secret = Credentials.newSecret();
        Credential key = store(entityId, Roles.ENTITY, entityId, secret, expiry);
        key.selfIssued = self;
        audit.record("key.issued", "key", key.keyId, entityId, AuditTrail.detail("expiresAt", expiry.toString()));
        return new Issued(key, secret, publisher.credential(key));
    }

    /**
     * Exact across instances (counted in the database, under the entity row's lock taken above), unlike an in-memory
     * bucket; a day is long enough that the wait is worth saying in the answer.
     */
    private void requireDailyQuota(String entityId) {
        Instant now = Instant.now();
        List<Instant> issued = Credential.selfIssuedSince(entityId, now.minus(QUOTA_WINDOW));
        if (issued.size() >= entityKeysPerDay) {
            // 0: entities rotate no key themselves; a day's wait says so without a time that would never come
            Instant freed = entityKeysPerDay <= 0 ? now.plus(QUOTA_WINDOW)
                    : issued.get(issued.size() - entityKeysPerDay).plus(QUOTA_WINDOW);
            long seconds = Math.max(1, Duration.between(now, freed).toSeconds() + 1);
            throw new ProblemException(Problem.of(429, "rate-limited", "Rate limited", "entity '" + entityId
                            + "' issued " + issued.size() + " keys itself in the last 24 hours, its most; nothing was "
                            + "issued: send it again after " + seconds + " s, or ask a case manager")
                    .with("scope", "entity-keys").with("limit", entityKeysPerDay + " per 24 h").retryAfter(seconds));
        }
    }

    @Transactional
    @LiveCredential
    public Issued issueStaffToken(String principal, String role, Instant expiresAt, Caller by) {
        // one principal, one role: two tokens issued at once for one principal take turns, so the second sees the
        // first's role (both were issued, with two roles, when each checked before the other had inserted)
        Credential.getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, PRINCIPAL_LOCK + principal).getSingleResult();
        Credential other = Credential.find("principal = ?1 and entityId is null", principal).firstResult();
        if (other != null && !other.role.equals(role)) {
            throw ProblemException.conflict("role-mismatch", "Principal has another role",
                    "'" + principal + "' is a " + other.role + "; one principal has one role");
        }
        if (ActionEntity.findById(principal) != null) {
            throw ProblemException.conflict("principal-is-entity", "Principal is an entity",
                    "'" + principal + "' is an entity id; choose another principal name");
        }
        Instant expiry = withinIssuers(expiresAt, expiry(expiresAt, STAFF_TOKEN_LIFETIME, STAFF_TOKEN_MAX_LIFETIME), by);
        String secret = Credentials.newSecret();
        Credential token = store(principal, role, null, secret, expiry);
        audit.record("token.issued", "token", token.keyId, null, AuditTrail.detail("principal", principal, "role", role,
                "expiresAt", token.expiresAt.toString()));
        return new Issued(token, secret, publisher.credential(token));
    }

    /**
     * What a revocation answers with: the outbox row of the key's tombstone, and whether this request wrote it. A key
     * revoked before is answered from the row its revocation wrote ({@code propagated}: on Kafka by now, or not).
     */
    public record Revocation(long outboxId, boolean repeated, boolean propagated) {
    }

    @Transactional
    public Revocation revoke(String owner, String keyId, boolean entity, Caller by) {
        if (entity) {
            Ids.existing("entity", owner);
        } else {
            Ids.existingPrincipal(owner);
        }
        Ids.existingKey(keyId);
        // The caller's own credential is re-read here as every other write re-reads it (LiveCredentialCheck): the
        // token directory still held a key revoked a moment ago, and that key could revoke its entity's other keys.
        // Its row and the revoked key's are locked in key-id order: key A revoking key B while B revokes A, each
        // taking its own row first, would deadlock.
        String own = LiveCredentialCheck.ownKey(by);
        if (own != null && own.compareTo(keyId) < 0) {
            LiveCredentialCheck.requireLive(own);
        }
        // locked: a revocation's tombstone must leave after any other announcement of the key (the start-up
        // snapshot's among them), and two revocations at once record one revocation, not two
        Credential key = Credential.findById(keyId, LockModeType.PESSIMISTIC_WRITE);
        if (keyId.equals(own) && (key == null || !key.active(Instant.now()))) {
            throw new UnauthorizedException("credential revoked or expired here");
        }
        if (own != null && own.compareTo(keyId) > 0) {
            LiveCredentialCheck.requireLive(own);
        }
        if (key == null || (entity ? !owner.equals(key.entityId) : !(key.entityId == null && owner.equals(key.principal)))) {
            throw ProblemException.notFound("key", keyId);
        }
        if (key.revokedAt != null && key.revokedOutboxId != null) {
            // Revoked before: nothing to write, publish, audit or wait for. Each repeat once published a tombstone,
            // wrote an outbox row and waited up to 2 s for it holding a pooled connection; with no rate limit here,
            // one entity key looping over it took the pool and the relay, and staff holds got 503 (found reading the
            // code, 4 December 2026). Answered from the first revocation's row: relayed, set aside, or still waiting.
            return new Revocation(key.revokedOutboxId, true, relayed(key.revokedOutboxId));
        }
        // (revoked before its outbox row was recorded, V7: announced once more, as every repeat used to be)
        return new Revocation(revokeLocked(key, null), false, false);
    }

    /** Revokes a key its caller has locked: recorded, audited and announced by a tombstone. */
    private long revokeLocked(Credential key, String cause) {
        boolean entity = key.entityId != null;
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
            audit.record(entity ? "key.revoked" : "token.revoked", entity ? "key" : "token", key.keyId,
                    key.entityId, AuditTrail.detail("principal", entity ? null : key.principal, "cause", cause));
        }
        key.revokedOutboxId = publisher.credential(key);
        return key.revokedOutboxId;
    }

    /** On Kafka: out of the outbox, and not set aside as a row Kafka refused (the kit's {@code awaitRelayed}, without the wait). */
    private static boolean relayed(long outboxId) {
        Object relayed = Credential.getEntityManager().createNativeQuery("""
                        select not exists (select 1 from outbox_backlog where id = ?1)
                           and not exists (select 1 from outbox_dead_letter where id = ?1)""")
                .setParameter(1, outboxId).getSingleResult();
        return Boolean.TRUE.equals(relayed);
    }

    /**
     * Revokes, through {@link #revoke}'s own steps, every credential the demo registered (or whose hash is one of
     * {@code fileHashes}, the demo's credentials file: a database loaded before the audit trail has no other mark on
     * its demo entity keys). Returns how many. Called at a start with the demo off ({@code DemoLoader}).
     */
    @Transactional
    public int revokeDemo(Collection<String> fileHashes) {
        // ids only: an entity read here would not be read again by the lock below, and might be revoked by then
        List<String> ids = Credential.getEntityManager().createQuery("select c.keyId from Credential c where c.revokedAt "
                        + "is null and (c.demo = true or c.sha256 in :hashes)", String.class)
                .setParameter("hashes", fileHashes.isEmpty() ? List.of("") : fileHashes)
                .getResultList().stream().sorted().toList();
        int revoked = 0;
        // each locked as revoke() locks it, in the order revoke() takes two (key ids as Java sorts them)
        for (String id : ids) {
            Credential key = Credential.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (key.revokedAt == null) {
                revokeLocked(key, "demo-off");
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * Tombstones up to {@code most} credentials whose expiry has passed and that were neither revoked (their revocation
     * sent one) nor announced expired yet, through the outbox as a revocation does ({@link ReferencePublisher#credential}
     * publishes a tombstone for a credential no longer active), and records each tombstone's outbox row on the
     * credential so it is sent once. Returns how many. Rows another transaction holds (a revocation under way, another
     * instance's run) are skipped, never waited for: the next run takes them if they still need it. Nothing is
     * audited: no one changed the credential, and its expiry was audited when it was issued.
     */
    @Transactional
    public int tombstoneExpired(int most) {
        @SuppressWarnings("unchecked")
        List<Credential> due = Credential.getEntityManager().createNativeQuery("""
                        select * from credential
                         where revoked_at is null and expiry_outbox_id is null and expires_at <= ?2
                         order by key_id limit ?1 for update skip locked""", Credential.class)
                // this JVM's clock, as the publisher's: what is expired here is a tombstone there
                .setParameter(1, most).setParameter(2, Instant.now()).getResultList();
        for (Credential key : due) {
            key.expiryOutboxId = publisher.credential(key);
        }
        return due.size();
    }

    /**
     * Stores a demo credential, for a secret the demo's file holds; returns false if known (a known one keeps its
     * expiry and its revocation: delete the file for fresh ones).
     */
    @Transactional
    public boolean register(String principal, String role, String entityId, String secret) {
        if (Credential.count("sha256", Credentials.sha256(secret)) > 0) {
            return false;
        }
        if (entityId != null) {
            EntityService.find(entityId);
        }
        // they expire as a staff token does by default (a demo token once worked for ever, and the start-up
        // snapshot announced it again at every start, demo on or off); a start with the demo off revokes them
        Credential credential = store(principal, role, entityId, secret, Instant.now().plus(DEMO_LIFETIME));
        credential.demo = true;
        publisher.credential(credential);
        audit.record("credential.registered", entityId == null ? "token" : "key", credential.keyId, entityId,
                AuditTrail.detail("principal", entityId == null ? principal : null, "role", role));
        return true;
    }

    /**
     * A staff token never outlives the staff token that issued it: the default is cut to the issuer's expiry, and a
     * later one asked for is refused. Until a read-only review of 7 December 2026 a case-manager token issued for a day,
     * as this page advises, could issue a year's token of any role, and the short expiry bounded nothing. An entity
     * key is the entity's, not its issuer's, and may outlive it. Someone signed in through the identity provider has
     * no token of ours to measure against: what they issue stays until it expires or is revoked
     * (docs/security.md, "When someone leaves").
     */
    private static Instant withinIssuers(Instant requested, Instant expiry, Caller by) {
        if (by == null || by.signedIn()) {
            return expiry;
        }
        Credential issuer = Credential.findById(by.keyId());
        if (issuer == null || issuer.expiresAt == null || !expiry.isAfter(issuer.expiresAt)) {
            return expiry;
        }
        if (requested != null) {
            throw ProblemException.invalid("expiresAt", "'expiresAt' must not be later than the expiry of the token "
                    + "that issues it, " + issuer.expiresAt);
        }
        return issuer.expiresAt;
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
