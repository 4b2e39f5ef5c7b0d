package org.w4r.delivery.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pack's words in one language, from {@code pack/<language>.properties} (the pack's own small bundles: the staff
 * UI's are for the staff, the pack is for the recipient). English, French and Spanish are written; Arabic is asked
 * for but served in English, because PDFBox lays text out left to right without Arabic glyph shaping, and no font
 * with shaping tables is embedded (docs/delivery-service.md, "Delivery pack").
 */
public final class PackText {
    public static final Set<String> WRITTEN = Set.of("en", "fr", "es");
    /** Languages a caller may ask for; those not {@link #WRITTEN} fall back to English. */
    public static final String LANGUAGE_PATTERN = "en|fr|es|ar";

    /** The recipient's country when the caller names no language: where French or Spanish is the official language. */
    private static final Set<String> FRENCH = Set.of("FR", "BE", "BI", "BJ", "BF", "CD", "CF", "CG", "CI", "CM", "DJ",
            "GA", "GN", "HT", "LU", "MC", "MG", "ML", "NE", "RW", "SN", "TD", "TG", "KM");
    private static final Set<String> SPANISH = Set.of("ES", "MX", "GT", "HN", "SV", "NI", "CR", "PA", "CU", "DO",
            "PR", "CO", "VE", "EC", "PE", "BO", "CL", "AR", "PY", "UY", "GQ");
    private static final Map<String, Properties> BUNDLES = new ConcurrentHashMap<>();

    private final String language;
    private final Locale locale;
    private final Properties words;

    private PackText(String language) {
        this.language = language;
        this.locale = Locale.forLanguageTag(language);
        this.words = BUNDLES.computeIfAbsent(language, PackText::load);
    }

    /** The language asked for if written, else the recipient country's, else English. */
    public static PackText of(String requested, String recipientCountry) {
        if (requested != null) {
            return new PackText(WRITTEN.contains(requested) ? requested : "en");
        }
        if (recipientCountry != null && FRENCH.contains(recipientCountry)) {
            return new PackText("fr");
        }
        if (recipientCountry != null && SPANISH.contains(recipientCountry)) {
            return new PackText("es");
        }
        return new PackText("en");
    }

    public String language() {
        return language;
    }

    String get(String key, Object... arguments) {
        String pattern = words.getProperty(key);
        if (pattern == null) {
            throw new IllegalStateException("pack/" + language + ".properties has no " + key);
        }
        return new MessageFormat(pattern, locale).format(arguments);
    }

    /** A label for a code (type, recipient kind), or the code itself when the bundle has none. */
    String label(String prefix, String code) {
        String word = words.getProperty(prefix + "." + code);
        return word == null ? code : word;
    }

    String date(Instant instant) {
        return DateTimeFormatter.ofPattern(words.getProperty("date.pattern"), locale).withZone(ZoneOffset.UTC)
                .format(instant);
    }

    String number(long value) {
        return NumberFormat.getIntegerInstance(locale).format(value);
    }

    /** A country's name in the pack's language; the code itself for one Java does not know. */
    String country(String code) {
        if (code == null || code.isBlank()) {
            return get("country.none");
        }
        String name = new Locale("", code).getDisplayCountry(locale);
        return name.isBlank() || name.equals(code) ? code : name;
    }

    private static Properties load(String language) {
        try (InputStream in = PackText.class.getResourceAsStream("/pack/" + language + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("pack/" + language + ".properties is missing");
            }
            Properties words = new Properties();
            words.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
