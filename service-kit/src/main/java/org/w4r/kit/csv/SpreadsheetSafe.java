package org.w4r.kit.csv;

/**
 * The one place CSV cells are defused: a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe (OWASP, CSV injection), and so does one whose formula follows spaces or line breaks, which some
 * spreadsheets trim on import (a read-only review, 8 December 2026: " =HYPERLINK(…)" went through). Numbers are written
 * as numbers, never through here, so a negative count stays a number. The staff UI's {@code toCsv} (dom.js) is the
 * same rule for the tables it downloads.
 */
public final class SpreadsheetSafe {
    private SpreadsheetSafe() {
    }

    private static final String FORMULA_STARTS = "=+-@\t\r";

    public static String neutralise(String cell) {
        return risky(cell) ? "'" + cell : cell;
    }

    /** Starts with a formula character, or with spaces and line breaks before one of =, +, -, @. */
    static boolean risky(String cell) {
        if (cell == null || cell.isEmpty()) {
            return false;
        }
        if (FORMULA_STARTS.indexOf(cell.charAt(0)) >= 0) {
            return true;
        }
        int i = 0;
        while (i < cell.length() && (cell.charAt(i) == ' ' || cell.charAt(i) == '\n')) {
            i++;
        }
        return i > 0 && i < cell.length() && "=+-@".indexOf(cell.charAt(i)) >= 0;
    }

    /**
     * The value {@link #neutralise} was given, for a service that reads another's CSV to print it, not to open it in a
     * spreadsheet: delivery-service printed a signer "@maria" as "'@maria" in the pack handed to an authority
     * (injection audit, 4 December 2026). A value that itself began with an apostrophe followed by one of those
     * characters loses the apostrophe: no name does.
     */
    public static String restore(String cell) {
        if (cell != null && cell.length() > 1 && cell.charAt(0) == '\'' && risky(cell.substring(1))) {
            return cell.substring(1);
        }
        return cell;
    }
}
