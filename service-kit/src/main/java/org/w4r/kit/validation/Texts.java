package org.w4r.kit.validation;

/**
 * What makes a text unfit to store, shared by {@link OneLine} and {@link FreeText}: C0 and C1 control characters end up
 * in CSVs, logs and PostgreSQL (which refuses NUL), and an unpaired surrogate is silently turned into '?' by the driver.
 * A single line also refuses the Unicode line and paragraph separators and the directional embeddings, overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069); the left-to-right and right-to-left marks stay (keyboards insert them).
 */
final class Texts {
    private Texts() {
    }

    /** The first offending character's description, or null when the text is fit. */
    static String unfit(String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                if (multiline && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                return "contains a control character (U+" + String.format("%04X", (int) c) + ")"
                        + (multiline ? "; only tab and line breaks are allowed" : "");
            }
            if (!multiline && (c == '\u2028' || c == '\u2029')) {
                // a line separator the PDF and every reader that splits lines take for a new line: one field printed
                // as two, the second looking like the pack's own text (injection audit, 4 December 2026)
                return "contains a line separator (U+" + String.format("%04X", (int) c) + ")";
            }
            if (!multiline && (c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069')) {
                // a directional embedding, override or isolate: a name that reads as another one ("johnson" stored
                // reversed), or that turns the text after it around on a page; right-to-left names need none of them
                return "contains a directional formatting character (U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (invalid Unicode)";
            }
        }
        return null;
    }
}
