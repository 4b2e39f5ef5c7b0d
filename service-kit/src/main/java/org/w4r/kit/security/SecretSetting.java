package org.w4r.kit.security;

import java.util.Locale;

/**
 * A key the platform signs or hashes with, checked once at start: refused when it is shorter than its minimum, is one
 * of the placeholders the repository itself published ({@code change-me-…} in the Kubernetes example overlay, and in
 * {@code deploy/compose/.env.example} until 6 December 2026, whose values are empty now), or is plainly not random (too few distinct characters). Read-only audit,
 * 4 December 2026: the placeholders were accepted, so an installation that kept the example's stream-ticket key let
 * anyone seal a signed-in staff ticket, and one that kept its signer key made every stored email hash a dictionary
 * lookup away. The message names the setting, never its value.
 */
public final class SecretSetting {
    /** Fewer distinct characters than this is a typed phrase or a repeated pattern, not a generated key. */
    static final int MIN_DISTINCT = 10;

    private SecretSetting() {
    }

    /** {@code value} if it may serve as the key {@code name}; otherwise an exception that stops the start. */
    public static String require(String name, String value, int minLength) {
        if (value == null || value.isBlank()) {
            throw refused(name, "must be set");
        }
        if (value.length() < minLength) {
            throw refused(name, "must be at least " + minLength + " characters");
        }
        String folded = value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (folded.contains("changeme")) {
            throw refused(name, "is still the example's placeholder");
        }
        if (value.chars().distinct().count() < MIN_DISTINCT) {
            throw refused(name, "is not random enough (fewer than " + MIN_DISTINCT + " distinct characters)");
        }
        return value;
    }

    private static IllegalStateException refused(String name, String why) {
        return new IllegalStateException(name + " " + why + ": generate one, e.g. `head -c 32 /dev/urandom | base64`");
    }
}
