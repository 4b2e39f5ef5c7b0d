package org.w4r.tally.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.w4r.kit.problem.Problem;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses malformed ids and parameters before any query runs: every id this service reads is at most 64 characters
 * of text (its columns' size), so a control character (PostgreSQL refuses a NUL and answered 500), an unpaired
 * surrogate, an overlong id, a repeated or unknown parameter is the caller's mistake and gets a 400 problem+json,
 * never a database error. Unknown parameters are refused rather than ignored, so a misspelt filter (or one this
 * service does not have, such as {@code ?until=}) never silently answers about something else.
 */
@Provider
public class QueryGuard implements ContainerRequestFilter {
    static final int MAX_ID = 64;
    /** Ids: they reach SQL and the read model, so they must look like ids. */
    private static final Set<String> IDS = Set.of("campaign", "with", "caseId", "entityId");
    /** Parameters with their own checks further in (format, the stream's ticket, a refused token in the URL). */
    private static final Set<String> OTHERS = Set.of("format", "ticket", "access_token");
    private static final int MAX_OTHER = 512;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") && !path.startsWith("/public/")) {
            return;
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!IDS.contains(name) && !OTHERS.contains(name)) {
                refuse(request, name, "unknown parameter '" + printable(name) + "'");
                return;
            }
            if (parameter.getValue().size() > 1) {
                refuse(request, name, "parameter '" + name + "' is given more than once");
                return;
            }
            String value = parameter.getValue().get(0);
            String problem = IDS.contains(name) ? checkId(value) : checkText(value, MAX_OTHER);
            if (problem != null) {
                refuse(request, name, "parameter '" + name + "' " + problem);
                return;
            }
        }
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getPathParameters(true).entrySet()) {
            for (String value : parameter.getValue()) {
                String problem = checkId(value);
                if (problem != null) {
                    refuse(request, parameter.getKey(), "'" + parameter.getKey() + "' " + problem);
                    return;
                }
            }
        }
    }

    /** Why {@code value} cannot be an id, or null when it can. */
    static String checkId(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        return checkText(value, MAX_ID);
    }

    private static String checkText(String value, int max) {
        if (value.length() > max) {
            return "is longer than " + max + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD' || c == '\uFEFF') {
                return "contains a control character or an undecodable byte";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate";
            }
        }
        return null;
    }

    /** A parameter name fit for an error message: the name is the caller's text, so only its harmless part. */
    private static String printable(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return safe.length() > 40 ? safe.substring(0, 40) + "…" : safe;
    }

    private static void refuse(ContainerRequestContext request, String field, String detail) {
        request.abortWith(Problem.of(400, "invalid-field", "Invalid field", detail)
                .with("field", printable(field)).toResponse());
    }
}
