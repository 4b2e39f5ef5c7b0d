package org.w4r.petition.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.CountryCode;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.SignatureService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** One signer for one or several cases ("sign for all": one action per case). */
@Schema(description = "One signer for one or several cases (\"sign for all\": one action per case)")
public record SignatureRequest(
        @Schema(description = "The cases signed for, in the order the answer lists them; a case named twice counts once",
                example = "[\"nassima-al-sada\", \"el-hiblu-3\"]")
        @NotNull @Size(min = 1, max = MAX_CASES) List<@NotNull @Slug String> caseIds,
        @NotNull @Valid Signer signer,
        @Valid Consent consent,
        @Schema(description = "When the signer signed (default: now). At most 5 minutes ahead of the service's clock, "
                + "which dates it now", example = "2026-12-10T14:03:00Z")
        @CampaignEra(daysAhead = 1) Instant occurredAt) {
    static final int MAX_CASES = 50;

    /** The signer. The email is kept only as a keyed hash: a person signs each case once. */
    @Schema(name = "Signer")
    public record Signer(
            @Schema(example = "Ada Lovelace", maxLength = 200) @NotBlank @OneLine(max = 200) String name,
            @Schema(description = "Kept only as a keyed hash, never stored nor published", example = "ada@example.org")
            @NotNull @EmailAddress String email,
            @Schema(description = "ISO 3166-1 alpha-2, either case", example = "FR") @CountryCode String country) {
    }

    /** Show my name on the delivered list; contact me. Both default to no. */
    @Schema(name = "Consent")
    public record Consent(@Schema(description = "Show my name on the list handed to the authority (default false)")
                          Boolean showName,
                          @Schema(description = "The entity may contact me (default false)")
                          Boolean contact) {
    }

    /** The signature the service takes: case ids distinct, the name trimmed, the country upper-case. */
    SignatureService.Signature toSignature() {
        return new SignatureService.Signature(new ArrayList<>(new LinkedHashSet<>(caseIds)), signer.name().trim(),
                signer.email(), CountryCode.Codes.normalise(signer.country()),
                consent != null && Boolean.TRUE.equals(consent.showName()),
                consent != null && Boolean.TRUE.equals(consent.contact()), occurredAt);
    }
}
