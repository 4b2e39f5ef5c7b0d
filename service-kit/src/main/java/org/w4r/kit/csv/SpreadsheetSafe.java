package org.w4r.kit.csv;

/**
 * The one place CSV cells are defused: a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe (OWASP, CSV injection). Numbers are written as numbers, never through here, so a negative count stays a
 * number.
 */
public final class SpreadsheetSafe {
    private SpreadsheetSafe() {
    }

    private static final String FORMULA_STARTS = "=+-@\t\r";

    public static String neutralise(String cell) {
        if (cell != null && !cell.isEmpty() && FORMULA_STARTS.indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }

    /**
     * The value {@link #neutralise} was given, for a service that reads another's CSV to print it, not to open it in a
     * spreadsheet: delivery-service printed a signer "@maria" as "'@maria" in the pack handed to an authority
     * (injection audit, 4 December 2026). A value that itself began with an apostrophe followed by one of those
     * characters loses the apostrophe: no name does.
     */
    public static String restore(String cell) {
        if (cell != null && cell.length() > 1 && cell.charAt(0) == '\'' && FORMULA_STARTS.indexOf(cell.charAt(1)) >= 0) {
            return cell.substring(1);
        }
        return cell;
    }
}
