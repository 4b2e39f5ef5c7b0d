package org.w4r.cases.service;

import org.w4r.cases.model.Credential;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.Slug;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An id from a path that could not exist names nothing: it is not found (404) without asking the database, which
 * would fail on a NUL byte. (A body's ids are checked by Bean Validation on the request; a path's are looked up.)
 */
final class Ids {
    private static final Pattern SLUG = Pattern.compile(Slug.REGEXP);
    private static final Pattern PRINCIPAL = Pattern.compile(Credential.EXISTING_PRINCIPAL);
    private static final Pattern KEY_ID = Pattern.compile(Credential.KEY_ID);

    private Ids() {
    }

    /** The record {@code lookup} finds for the id, or 404 when there is none (or there could be none). */
    static <T> T found(String what, String id, Function<String, T> lookup) {
        T found = lookup.apply(existing(what, id));
        if (found == null) {
            throw ProblemException.notFound(what, id);
        }
        return found;
    }

    static String existing(String what, String value) {
        return matching(SLUG, what, value);
    }

    static String existingKey(String value) {
        return matching(KEY_ID, "key", value);
    }

    static String existingPrincipal(String value) {
        return matching(PRINCIPAL, "principal", value);
    }

    private static String matching(Pattern pattern, String what, String value) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw ProblemException.notFound(what, value == null ? "" : printable(value));
        }
        return value;
    }

    /** Echoes a caller's value in a problem without its control characters (and never more than 100 of them). */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return shown.replaceAll("[\\x00-\\x1F\\x7F]", "?");
    }
}
