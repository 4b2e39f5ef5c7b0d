package org.w4r.petition.rest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The email address and domain patterns (EmailAddress, InvalidationSelection.DOMAIN) take steps linear in their input,
 * and accept exactly what they accepted before. A read-only audit (4 December 2026) found both backtracking
 * quadratically: "a@", 250,000 dots and "@" held a worker thread for minutes on POST /api/v1/erasures, because Hibernate
 * Validator runs a composed constraint's @Pattern before its @Size. The steps are counted, not timed: the input is read
 * through a CharSequence that counts charAt(), and a pattern is matched as Hibernate Validator's @Pattern matches it
 * ({@code matcher(value).matches()}).
 */
class EmailAddressPatternTest {
    /** The patterns as they were before the audit: the acceptance to keep. */
    static final String CHARACTER_BEFORE = "[^@\\s\\u0000-\\u001f\\u007f-\\u009f]";
    static final Pattern EMAIL_BEFORE = Pattern.compile("^ *" + CHARACTER_BEFORE + "{1,64}@" + CHARACTER_BEFORE + "+\\."
            + CHARACTER_BEFORE + "+ *$");
    static final Pattern DOMAIN_BEFORE = Pattern.compile("^" + CHARACTER_BEFORE + "+\\." + CHARACTER_BEFORE + "+$");

    static final Pattern EMAIL = Pattern.compile(EmailAddress.REGEXP);
    static final Pattern DOMAIN = Pattern.compile(InvalidationSelection.DOMAIN);

    /** A linear matcher reads each character a few times; the quadratic ones read millions for 5,000 characters. */
    static final int READS_PER_CHARACTER = 20;
    static final int N = 5_000;

    /** The input, counting how often the matcher reads a character. */
    static final class CountingSequence implements CharSequence {
        private final String text;
        long reads;

        CountingSequence(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new CountingSequence(text.substring(start, end)); // counted apart: the matcher never asks for one
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** How many characters {@code pattern} reads to match {@code input} whole. */
    static long reads(Pattern pattern, String input) {
        CountingSequence counted = new CountingSequence(input);
        pattern.matcher(counted).matches();
        return counted.reads;
    }

    /** Inputs made to backtrack: runs of dots, or of characters without a dot, each ending badly or well. */
    static Map<String, String> adversarialDomains() {
        Map<String, String> domains = new LinkedHashMap<>();
        domains.put("dots then '@'", ".".repeat(N) + "@");
        domains.put("dots then a space and more", ".".repeat(N) + " x");
        domains.put("dots then a control character", ".".repeat(N) + "\u0000");
        domains.put("dots then U+0085", ".".repeat(N) + "\u0085");
        domains.put("dots only (accepted)", ".".repeat(N));
        domains.put("'a.' repeated then '@'", "a.".repeat(N / 2) + "@");
        domains.put("'.a' repeated then a space and more", ".a".repeat(N / 2) + " x");
        domains.put("letters then a dot", "a".repeat(N) + ".");
        domains.put("letters then a dot then '@'", "a".repeat(N) + ".@");
        domains.put("letters then '@'", "a".repeat(N) + "@");
        domains.put("a dot then letters then '@'", "a." + "a".repeat(N) + "@");
        domains.put("letters, a dot, letters (accepted)", "a".repeat(N / 2) + "." + "a".repeat(N / 2));
        return domains;
    }

    static Map<String, String> adversarialAddresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        adversarialDomains().forEach((shape, domain) -> addresses.put("a@ + " + shape, "a@" + domain));
        addresses.put("the audit's: a@, dots, @", "a@" + ".".repeat(N) + "@");
        addresses.put("spaces, a local part, no '@'", " ".repeat(N) + "a");
        addresses.put("spaces, an address, more", " ".repeat(N) + "a@b.c" + " ".repeat(N) + "x");
        addresses.put("an address, spaces, more", "a@b.c" + " ".repeat(N) + "x");
        addresses.put("a local part of dots, no '@'", ".".repeat(N));
        addresses.put("a local part of dots, '@' at the end", ".".repeat(N) + "@");
        addresses.put("'@' after every dot", "a@" + ".@".repeat(N / 2));
        return addresses;
    }

    @Test
    void anAddressTakesStepsLinearInItsLength() {
        assertLinear(EMAIL, adversarialAddresses());
    }

    @Test
    void aDomainTakesStepsLinearInItsLength() {
        assertLinear(DOMAIN, adversarialDomains());
    }

    void assertLinear(Pattern pattern, Map<String, String> inputs) {
        List<String> slow = new ArrayList<>();
        inputs.forEach((shape, input) -> {
            long reads = reads(pattern, input);
            if (reads > (long) READS_PER_CHARACTER * input.length()) {
                slow.add(shape + ": " + reads + " reads for " + input.length() + " characters");
            }
        });
        assertEquals(List.of(), slow);
    }

    /** The count sees the flaw the audit found: otherwise the tests above could not fail. */
    @Test
    void theCountSeesTheQuadraticPatterns() {
        String audit = "a@" + ".".repeat(N) + "@";
        assertTrue(reads(EMAIL_BEFORE, audit) > 100L * audit.length(), "the old address pattern backtracks");
        String domain = ".".repeat(N) + "@";
        assertTrue(reads(DOMAIN_BEFORE, domain) > 100L * domain.length(), "the old domain pattern backtracks");
    }

    /**
     * Every string of up to 8 characters over an alphabet of each kind of character (a letter, a dot, '@', a space,
     * a control character that is not whitespace), and some of every day: accepted or refused as before.
     */
    @Test
    void theSameAddressesAndDomainsAreAcceptedAsBefore() {
        List<String> inputs = new ArrayList<>();
        String alphabet = "a.@ \u0085";
        List<String> shorter = List.of("");
        inputs.addAll(shorter);
        for (int length = 1; length <= 8; length++) {
            List<String> longer = new ArrayList<>(shorter.size() * alphabet.length());
            for (String s : shorter) {
                for (char c : alphabet.toCharArray()) {
                    longer.add(s + c);
                }
            }
            inputs.addAll(longer);
            shorter = longer;
        }
        assertTrue(inputs.size() > 400_000, inputs.size() + " inputs");
        inputs.addAll(List.of("ada@example.org", "  Ada.Lovelace+w4r@Example.ORG ", "ada@example", "ada@.org",
                "ada@example.", "ada@ex ample.org", "ada@exa\tmple.org", "ada@@example.org", "ada@exämple.org",
                "ada@例え.テスト", "ada@\ud83d\ude00.org", "ada@\ud83d.org", "ada@x.\ude00", "ada@..", "ada@...",
                "ada@a..b", "ada@.a.", "ada@a.b.c.d", "a".repeat(64) + "@example.org", "a".repeat(65) + "@example.org",
                "ada@example.org\n", "\nada@example.org", "ada@example.org\u007f", "ada@example.org\u009f",
                "ada@example.org\u00a0", "example.org", "spam.example", "a.b", ".a.", "a.", ".a", "..", "...", "a..",
                "..a", "a\u00a0.b"));

        List<String> changed = new ArrayList<>();
        for (String input : inputs) {
            if (EMAIL.matcher(input).matches() != EMAIL_BEFORE.matcher(input).matches()) {
                changed.add("address '" + visible(input) + "'");
            }
            if (DOMAIN.matcher(input).matches() != DOMAIN_BEFORE.matcher(input).matches()) {
                changed.add("domain '" + visible(input) + "'");
            }
        }
        assertEquals(List.of(), changed);
        assertTrue(EMAIL.matcher(" ada@example.org ").matches() && DOMAIN.matcher("example.org").matches());
    }

    /** The string with its control and non-ASCII characters as escapes, for a readable failure. */
    static String visible(String value) {
        StringBuilder out = new StringBuilder();
        value.chars().forEach(ch -> out.append(ch < 0x20 || ch >= 0x7f ? String.format("\\u%04x", ch)
                : String.valueOf((char) ch)));
        return out.toString();
    }
}
