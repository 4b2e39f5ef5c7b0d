package org.w4r.cases.rest;

import jakarta.ws.rs.HeaderParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.w4r.cases.service.ExpectedVersion;
import org.w4r.kit.problem.ProblemException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The If-Match every edit of a case, campaign or entity takes, declared once: the ETag of the record as its editor
 * read it ({@link Versions}). Optional, so clients written before it keep working; the staff UI sends it.
 */
public class IfMatch {
    static final String HEADER = "If-Match";
    private static final Pattern TAG = Pattern.compile("\"(0|[1-9][0-9]{0,17})\"");

    @HeaderParam(HEADER)
    @Parameter(description = "The ETag of the record as it was read (\"7\"): the edit is refused with 412 "
            + "edited-since if the record changed since. \"*\" or none: the edit applies to whatever is stored, and one "
            + "made on an old read overwrites what changed since; send it.",
            schema = @Schema(type = SchemaType.STRING, pattern = "^(\\*|\"(0|[1-9][0-9]{0,17})\")$", example = "\"7\""))
    String value;

    /**
     * The version the edit was made on. A weak tag is refused rather than compared: an edit applies only to exactly
     * the state its editor saw, and this service issues no weak tags.
     */
    ExpectedVersion expected() {
        if (value == null || value.strip().equals("*")) {
            return ExpectedVersion.ANY;
        }
        Matcher tag = TAG.matcher(value.strip());
        if (!tag.matches()) {
            throw ProblemException.invalid(HEADER, "If-Match takes one ETag as a read of the record answered it, such "
                    + "as \"7\" with its quotes, or *");
        }
        return ExpectedVersion.of(Long.parseLong(tag.group(1)));
    }
}
