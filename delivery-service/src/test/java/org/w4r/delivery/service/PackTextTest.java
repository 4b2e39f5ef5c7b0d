package org.w4r.delivery.service;

import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pack's bundles: the same keys and placeholders in every written language; the language a pack is served in. */
class PackTextTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");

    @Test
    void everyBundleHasTheSameKeysAndPlaceholders() throws Exception {
        Properties english = bundle("en");
        for (String language : PackText.WRITTEN) {
            Properties other = bundle(language);
            assertEquals(new TreeSet<>(english.stringPropertyNames()), new TreeSet<>(other.stringPropertyNames()), language);
            for (String key : english.stringPropertyNames()) {
                assertEquals(placeholders(english.getProperty(key)), placeholders(other.getProperty(key)), language + " " + key);
            }
        }
    }

    @Test
    void theLanguageIsTheOneAskedForOrTheRecipientCountrysOrEnglish() {
        assertEquals("fr", PackText.of("fr", "CL").language());
        assertEquals("es", PackText.of(null, "CL").language());
        assertEquals("fr", PackText.of(null, "BI").language());
        assertEquals("en", PackText.of(null, "MT").language());
        assertEquals("en", PackText.of(null, null).language());
        // no glyph shaping for Arabic in the PDF: English rather than unreadable text
        assertEquals("en", PackText.of("ar", "DZ").language());
    }

    @Test
    void datesAndNumbersAreWrittenAsTheLanguageWritesThem() {
        Instant cutoff = Instant.parse("2027-03-27T23:59:00Z");
        assertEquals("27 March 2027, 23:59 UTC", PackText.of("en", null).date(cutoff));
        assertEquals("27 mars 2027, 23:59 UTC", PackText.of("fr", null).date(cutoff));
        assertEquals("27 de marzo de 2027, 23:59 UTC", PackText.of("es", null).date(cutoff));
        assertEquals("4,496,875", PackText.of("en", null).number(4_496_875));
        assertEquals("4.496.875", PackText.of("es", null).number(4_496_875));
        assertEquals("Page 2 of 7", PackText.of("en", null).get("page", 2, 7));
        assertEquals("actions menées pour ce cas jusqu'au 1 mars", PackText.of("fr", null).get("total.petition", "1 mars"));
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static Properties bundle(String language) throws Exception {
        Properties words = new Properties();
        words.load(new InputStreamReader(PackText.class.getResourceAsStream("/pack/" + language + ".properties"),
                StandardCharsets.UTF_8));
        return words;
    }
}
