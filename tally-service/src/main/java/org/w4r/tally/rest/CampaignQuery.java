package org.w4r.tally.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.w4r.kit.validation.Slug;

/**
 * The query parameters every totals endpoint takes, declared once: which campaign ({@code ?campaign=}, the current one
 * if absent) and the CSV switch ({@code ?format=}, which {@link org.w4r.kit.csv.CsvFormatParameter} acts on; declared
 * here for the document and the shape check). {@link org.w4r.kit.validation.QueryGuard} reads these as the endpoint's own.
 */
public class CampaignQuery {
    static final String FORMAT = "^(csv|json)$";

    @QueryParam("campaign")
    @Slug
    @Parameter(description = "campaign id; the current one if absent")
    String campaign;

    @QueryParam("format")
    @Pattern(regexp = FORMAT)
    String format;
}
