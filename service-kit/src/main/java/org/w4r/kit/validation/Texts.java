package org.w4r.kit.validation;

/**
 * What makes a text unfit to store, shared by {@link OneLine} and {@link FreeText}: C0 and C1 control characters end up
 * in CSVs, logs and PostgreSQL (which refuses NUL), and an unpaired surrogate is silently turned into '?' by the driver.
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
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (invalid Unicode)";
            }
        }
        return null;
    }
}
