package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.kit.security.SecretSetting;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
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
     * Trimmed, in Unicode's composed form (NFC), lower-case, and the domain without dots at its end and with any
     * punycode label in Unicode: {@code a@x.org.} is the same mailbox as {@code a@x.org} (the root's dot of a fully
     * qualified name), {@code josé@} typed with a combining accent the same as with the accented letter, and
     * {@code xn--bcher-kva.de} the same domain as {@code bücher.de}. Each pair hashed apart, so one person signed a case
     * twice and a flood escaped its domain's limit (read-only reviews, 6 December 2026). An address in none of these
     * forms (the great majority) hashes as it always did; a signature stored before in one of them keeps its hash, so
     * that person may count once more, and only once ({@link #hashesOf} finds both for an erasure).
     * <p>It runs about three times a signature (its hash, its domain's, the domain limit): a plain ASCII address
     * skips the Unicode steps, which change nothing in it.
     */
    public static String normalise(String email) {
        String trimmed = email.trim();
        String address = (ascii(trimmed) ? trimmed : Normalizer.normalize(trimmed, Normalizer.Form.NFC))
                .toLowerCase(Locale.ROOT);
        int at = address.lastIndexOf('@');
        return address.substring(0, at + 1) + normaliseDomain(address.substring(at + 1));
    }

    /** A domain as {@link #normalise} leaves it: what a coordinator's flood selection is compared by too. */
    static String normaliseDomain(String domain) {
        // toUnicode never fails (a label it cannot decode is left as it is), and turns the full-width and ideographic
        // full stops into '.', so the dots at the end are dropped after it
        String trimmed = domain.trim().toLowerCase(Locale.ROOT);
        String text = ascii(trimmed) && !trimmed.contains("xn--") ? trimmed
                : Normalizer.normalize(IDN.toUnicode(trimmed, IDN.ALLOW_UNASSIGNED), Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT);
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '.') {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every key a signature or message of {@code email} may be stored under: {@link #hash} and, where it differs, the
     * key of the normalisation before 6 December 2026 (trimmed and lower-cased only). An erasure looks under both: a
     * person who signed as {@code ana@xn--bcher-kva.de} before then, and asks to be erased by the same address, was
     * found under neither form's new key (review of this very change, 6 December 2026).
     */
    public java.util.List<String> hashesOf(String email) {
        String current = hash(email);
        String before = HexFormat.of().formatHex(macs.get().doFinal(email.trim().toLowerCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8)));
        return current.equals(before) ? java.util.List.of(current) : java.util.List.of(current, before);
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
        String key = "domain:" + normaliseDomain(domain);
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
