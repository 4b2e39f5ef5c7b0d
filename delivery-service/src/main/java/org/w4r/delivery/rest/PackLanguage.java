package org.w4r.delivery.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.delivery.service.PackText;

/**
 * The {@code ?lang=} every pack endpoint (the PDF, the ZIP, the preview) takes, declared once so the three cannot
 * drift: the same pattern, the same languages, the same words in the document. Its field is named as the parameter,
 * so a refusal's problem names {@code lang}, what the caller sent.
 */
public class PackLanguage {
    @QueryParam("lang")
    @Pattern(regexp = PackText.LANGUAGE_PATTERN)
    @Schema(enumeration = {"en", "fr", "es", "ar"}, description = "the pack's language; without it, the recipient "
            + "country's (fr, es) or en; ar is served in en")
    String lang;
}
