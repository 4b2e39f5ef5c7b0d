package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.kit.security.SecretSetting;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns an email into the key that makes a signature count once per person per case: HMAC-SHA256 of the
 * normalised address (trimmed, lower-case) under a secret key, so the email itself is never stored.
 */
@ApplicationScoped
public class SignerHasher {
    private final SecretKeySpec key;
    /** A Mac per thread: looking one up per signature showed in the profile, and a Mac is not thread-safe. */
    private final ThreadLocal<Mac> macs;

    public SignerHasher(@ConfigProperty(name = "w4r.signer.hmac-key") String secret) {
        // 32 as the deployment files say (it took 16, and the published placeholder)
        SecretSetting.require("w4r.signer.hmac-key", secret, 32);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is in every JVM", e);
            }
        });
    }

    /**
     * Trimmed, lower-case, and without dots at the end: {@code a@x.org.} is the same mailbox as {@code a@x.org} (the
     * root's dot of a fully qualified name), and the two hashed apart, so one person signed a case twice and one flood
     * escaped its domain's limit with a dot (read-only review, 6 December 2026). A signature stored before with such a
     * dot keeps the hash it had: one more of that person would count once more, and only one.
     */
    public static String normalise(String email) {
        return withoutFinalDots(email.trim().toLowerCase(Locale.ROOT));
    }

    private static String withoutFinalDots(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '.') {
            end--;
        }
        return text.substring(0, end);
    }

    public String hash(String email) {
        return HexFormat.of().formatHex(macs.get().doFinal(normalise(email).getBytes(StandardCharsets.UTF_8)));
    }

    /** The domain of an email (after its last '@'), lower-cased; what a coordinator selects a flood by. */
    public static String domainOf(String email) {
        String address = normalise(email);
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /**
     * The keyed hash of an email domain, so a bulk invalidation can select a flood by domain without any signer's
     * row holding the domain in clear. Prefixed so it can never equal an email's hash (an address without an '@'
     * is refused long before, but the two namespaces stay apart whatever the input).
     */
    public String hashDomain(String domain) {
        String key = "domain:" + withoutFinalDots(domain.trim().toLowerCase(Locale.ROOT));
        return HexFormat.of().formatHex(macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The keyed fingerprint of a request sent with an Idempotency-Key ({@link IdempotencyKey}). Prefixed, as the
     * domain's, so it can never equal an email's hash.
     */
    public String fingerprint(String request) {
        return HexFormat.of().formatHex(macs.get().doFinal(("request:" + request).getBytes(StandardCharsets.UTF_8)));
    }
}
