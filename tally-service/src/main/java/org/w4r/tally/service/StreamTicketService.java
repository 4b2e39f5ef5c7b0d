package org.w4r.tally.service;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.SecretSetting;
import org.w4r.tally.repository.StreamTicketRepository;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Short-lived, single-use tickets that open one live stream. EventSource cannot send headers, so something must travel
 * in the URL; a ticket that dies in seconds and opens one connection is what may, never the long-lived token.
 * <p>
 * A ticket is sealed (AES-GCM) with a key from {@code w4r.stream.ticket-key}, so any instance sharing the key can open
 * it and nobody can forge or read one: it holds only its expiry and the {@link Grant} of who asked for it (the stream
 * re-checks that grant while it runs). Single use is remembered in the database every instance shares
 * ({@link StreamTicketRepository}): it was remembered per instance, so behind two replicas a ticket from a logged URL
 * opened a second stream on the other one (read-only review, 6 December 2026).
 * <p>
 * Whoever knows the key seals whatever ticket they like, and the repository's own examples published one
 * ({@code change-me-…} in {@code deploy/compose/.env.example} and the Kubernetes example overlay), which was accepted:
 * a key that is set is now checked when the service starts (service-kit {@code SecretSetting}: 32 characters or more,
 * not the placeholder, not plainly patterned), in every profile, and a bad one stops the start. A ticket that says it
 * lives longer than this service issues them, or a sign-in longer than {@code w4r.stream.sign-in-max}, was not sealed
 * here as it reads, and is refused or cut short (review, 4 December 2026).
 */
@Startup // the key is checked as the service starts, not at the first ticket
@ApplicationScoped
public class StreamTicketService {
    private static final Logger LOG = Logger.getLogger(StreamTicketService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longer than any ticket this class issues (a 100-character subject included); refused before any decoding. */
    private static final int MAX_TICKET_CHARS = 512;

    @Inject
    StreamSettings settings;

    @Inject
    StreamTicketRepository uses;

    private SecretKey key;

    public record Ticket(String ticket, Instant expiresAt) {
    }

    /**
     * Who a ticket lets in. Either a key or staff token of ours, by its SHA-256, looked up again in the token directory
     * while the stream runs (so a revocation ends it); or a staff member signed in through the IdP, whose access token
     * cannot be revoked here: the stream ends when that token expires, and the page opens a new one with a fresh token.
     */
    public record Grant(String tokenSha256, String principal, String role, Instant signedInUntil) {
        public static Grant credential(String tokenSha256) {
            return new Grant(tokenSha256, null, null, null);
        }

        public static Grant signedIn(String principal, String role, Instant until) {
            return new Grant(null, principal, role, until);
        }

        private String seal() {
            return tokenSha256 != null ? "k:" + tokenSha256
                    : "s:" + signedInUntil.toEpochMilli() + ":" + role + ":" + principal;
        }

        private static Grant unseal(String sealed) {
            if (sealed.startsWith("k:")) {
                return credential(sealed.substring(2));
            }
            String[] parts = sealed.substring(2).split(":", 3); // the principal comes last: it may hold ':'
            return signedIn(parts[2], parts[1], Instant.ofEpochMilli(Long.parseLong(parts[0])));
        }
    }

    @PostConstruct
    void init() {
        byte[] material;
        if (settings.ticketKey().isPresent()) {
            // the message names the setting, never its value; a short key stops the start too (it was replaced by a
            // random one, so a key set on every instance was silently not shared)
            String ticketKey = SecretSetting.require("w4r.stream.ticket-key", settings.ticketKey().get(), 32);
            material = sha256(ticketKey.getBytes(StandardCharsets.UTF_8));
        } else {
            material = new byte[32];
            RANDOM.nextBytes(material);
            LOG.warn("w4r.stream.ticket-key is not set: using a random key, so a stream ticket opens a stream only on "
                    + "the instance that issued it. Set the same key on every instance.");
        }
        key = new SecretKeySpec(material, "AES");
    }

    /** A ticket for {@code grant}. */
    public Ticket issue(Grant grant) {
        return issue(grant, settings.ticketTtl());
    }

    /** As {@link #issue(Grant)}, living {@code lifetime} (a test needs one that has already expired). */
    public Ticket issue(Grant grant, Duration lifetime) {
        Instant expiresAt = Instant.now().plus(lifetime);
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] plain = (expiresAt.toEpochMilli() + ":" + grant.seal()).getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain);
            byte[] ticket = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return new Ticket(Base64.getUrlEncoder().withoutPadding().encodeToString(ticket), expiresAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }

    /**
     * Who asked for {@code ticket}, once: a second redemption, an expired, altered or foreign ticket is a 401.
     */
    public Grant redeem(String ticket) {
        Instant now = Instant.now();
        if (ticket == null || ticket.isEmpty() || ticket.length() > MAX_TICKET_CHARS) {
            throw invalid();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(ticket);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length <= IV_BYTES + TAG_BITS / 8) {
            throw invalid();
        }
        String plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, IV_BYTES));
            plain = new String(cipher.doFinal(raw, IV_BYTES, raw.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw invalid();
        }
        int colon = plain.indexOf(':');
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon)));
        // no ticket issued here lives longer than the ticket TTL; the second TTL is room for another instance's clock
        if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(settings.ticketTtl().multipliedBy(2)))) {
            throw invalid();
        }
        // the IV is random per ticket, so it names the ticket; a used ticket is kept a TTL past its expiry, as room for
        // another instance's clock that is behind this one's
        String id = ticket.substring(0, 16);
        if (!uses.firstUse(id, expiresAt, now.minus(settings.ticketTtl()))) {
            throw invalid();
        }
        Grant grant = Grant.unseal(plain.substring(colon + 1));
        // a sign-in counts until its access token expires, and no IdP's token is expected to live longer than this
        Instant longest = now.plus(settings.signInMax());
        if (grant.signedInUntil() != null && grant.signedInUntil().isAfter(longest)) {
            return Grant.signedIn(grant.principal(), grant.role(), longest);
        }
        return grant;
    }

    private static ProblemException invalid() {
        return new ProblemException(Problem.of(401, "invalid-stream-ticket", "Invalid stream ticket",
                "the ticket is unknown, expired or already used; get a new one with "
                        + "'POST /api/v1/totals/stream-tickets' and open the stream within seconds"));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
