package org.w4r.cases.rest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "not blank" pattern of names: the same verdicts as the {@code .*\S.*} it replaced, in a number of steps linear
 * in the text. Steps are counted as the characters the matcher reads, not timed.
 */
class NotBlankPatternTest {
    private static final Pattern OLD = Pattern.compile(".*\\S.*");
    private static final Pattern NOW = Pattern.compile(CaseRequest.NOT_BLANK);

    @Test
    void sameVerdictsAsBefore() {
        for (String text : List.of("a", " a", "a ", " \t a b \f", "", " ", "\t\u000B\f", "a\nb", "a\n", "\nb", "a\r",
                "\u00a0", " \u2028", "x".repeat(300), " ".repeat(300) + "y")) {
            assertEquals(OLD.matcher(text).matches(), NOW.matcher(text).matches(), "'" + text.replace("\n", "\\n") + "'");
        }
    }

    @Test
    void linearInTheText() {
        for (String text : List.of("x".repeat(5_000) + "\n", " ".repeat(5_000) + "\n", "x ".repeat(2_500) + "\r",
                " ".repeat(5_000))) {
            Counting read = new Counting(text);
            NOW.matcher(read).matches();
            assertTrue(read.reads <= 10L * text.length(), read.reads + " reads for " + text.length() + " characters");
        }
        // the old pattern, for the record: the same test fails on it
        Counting read = new Counting("x".repeat(5_000) + "\n");
        OLD.matcher(read).matches();
        assertTrue(read.reads > 1_000_000L, "the old pattern was quadratic: " + read.reads);
    }

    private static final class Counting implements CharSequence {
        private final String text;
        long reads;

        Counting(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
