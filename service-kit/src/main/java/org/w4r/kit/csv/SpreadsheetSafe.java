package org.w4r.kit.csv;

/**
 * The one place CSV cells are defused: a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe (OWASP, CSV injection). Numbers are written as numbers, never through here, so a negative count stays a
 * number.
 */
public final class SpreadsheetSafe {
    private SpreadsheetSafe() {
    }

    public static String neutralise(String cell) {
        if (cell != null && !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }
}
