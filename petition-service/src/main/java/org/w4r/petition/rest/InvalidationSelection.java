package org.w4r.petition.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.events.ActionType;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.CountryCode;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.InvalidationService;
import org.w4r.petition.service.OnlineActionService;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which accepted signatures, online actions and messages a coordinator selects; every part optional but not all
 * absent.
 */
@Schema(description = "Accepted signatures, online actions and solidarity messages that still count, selected by case, "
        + "entity, the time they were accepted, the signer's email domain and country (signatures only), and type; at "
        + "least one of caseId, entityId, from, to, emailDomain, emailDomainHash or country")
public record InvalidationSelection(
        @Schema(description = "The campaign (default: any)", example = "w4r-2026") @Slug String campaignId,
        @Schema(description = "The case (default: any, and actions without a case)", example = "el-hiblu-3") @Slug String caseId,
        @Schema(description = "The entity the actions were taken through", example = "ai-france") @Slug String entityId,
        @Schema(description = "Accepted at or after this instant", example = "2026-12-10T14:00:00Z")
        @CampaignEra(daysAhead = 1) Instant from,
        @Schema(description = "Accepted before this instant", example = "2026-12-10T15:00:00Z")
        @CampaignEra(daysAhead = 1) Instant to,
        @Schema(description = "The signer's email domain, either case (signatures only; those taken before bulk "
                + "invalidation existed have no domain on record and are never selected by it)", example = "spam.example")
        @Size(max = 253) @Pattern(regexp = DOMAIN) String emailDomain,
        @Schema(description = "Instead of emailDomain: the domain's keyed hash, as GET /api/v1/anomalies lists a trending "
                + "one (64 lower-case hex digits)", example = "3fa9c2e1d0b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1")
        @Pattern(regexp = "^[0-9a-f]{64}$") String emailDomainHash,
        @Schema(description = "The signer's country, ISO 3166-1 alpha-2, either case (signatures only)", example = "FR")
        @CountryCode String country,
        @Schema(description = "The type (default: signatures, every online action and messages)",
                enumeration = {"signature", "message", "letter", "email", "tweet", "sms", "postcard", "drawing", "audio",
                        "other"})
        String type) {
    /**
     * Signatures, messages and online actions: offline counts have their entity's corrections. Messages since 7 December
     * 2026: an erased one is no longer moderated, so a flood of them had no way out of the counts.
     */
    static final List<ActionType> TYPES = Stream.concat(Stream.of(ActionType.SIGNATURE, ActionType.MESSAGE),
            OnlineActionService.TYPES.stream().sorted()).toList();
    // as an email address's domain (EmailAddress): something.tld without spaces, '@' or control characters; its own
    // copy until a read-only audit (4 December 2026) found it backtracked quadratically on a run of dots, as that did
    static final String DOMAIN = "^" + EmailAddress.DOMAIN + "$";

    /**
     * The selection the service takes: the domain lower-cased, the country upper-case; refuses an empty or inverted one.
     * {@code at}: where the caller wrote it ("" for a body of its own, "selection." inside a request), to name the field.
     */
    InvalidationService.Selection toSelection(String at) {
        if (caseId == null && entityId == null && from == null && to == null && emailDomain == null
                && emailDomainHash == null && country == null) {
            throw ProblemException.invalid(at.isEmpty() ? "selection" : at.substring(0, at.length() - 1), "select by at least one of caseId, entityId, from, to, "
                    + "emailDomain, emailDomainHash or country: an invalidation never takes a whole campaign at once");
        }
        if (emailDomain != null && emailDomainHash != null) {
            throw ProblemException.invalid(at + "emailDomainHash", "select by emailDomain or by emailDomainHash, not both");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.invalid(at + "to", "'to' must be after 'from'");
        }
        ActionType actionType = null;
        if (type != null) {
            actionType = TYPES.stream().filter(t -> t.code().equals(type)).findFirst().orElseThrow(() ->
                    ProblemException.invalid(at + "type", "'type' must be one of " + TYPES.stream()
                            .map(ActionType::code).toList()));
        }
        return new InvalidationService.Selection(campaignId, caseId, entityId, from, to,
                emailDomain == null ? null : emailDomain.toLowerCase(Locale.ROOT), emailDomainHash,
                CountryCode.Codes.normalise(country),
                actionType);
    }
}
