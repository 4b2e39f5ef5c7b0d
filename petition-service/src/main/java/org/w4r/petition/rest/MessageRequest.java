package org.w4r.petition.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.CountryCode;
import org.w4r.kit.validation.FreeText;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.MessageService;

import java.time.Instant;

/** A solidarity message to a rights holder; it is counted when accepted and delivered only once approved. */
@Schema(description = "A solidarity message to a rights holder: counted when accepted, delivered only once approved")
public record MessageRequest(
        @Schema(example = "nassima-al-sada") @NotBlank @Slug String caseId,
        @NotNull @Valid Author author,
        @Schema(description = "Tabs and line breaks allowed", example = "Stay strong, Nassima.", maxLength = 2_000)
        @NotBlank @FreeText(max = 2_000) String text,
        @Schema(description = "A language tag; empty for none", example = "pt-BR", maxLength = 35)
        @OneLine(max = 35) @Pattern(regexp = LANGUAGE) String language,
        @Schema(description = "When it was written (default: now); at most 5 minutes ahead of the service's clock")
        @CampaignEra(daysAhead = 1) Instant occurredAt) {
    static final String LANGUAGE = "^([a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3})?$";

    /**
     * {@code email} is optional and kept only as the keyed hash signatures use, so an erasure request by email finds
     * the author's messages too; without it an erasure by email cannot find the message.
     */
    @Schema(name = "MessageAuthorRequest")
    public record Author(@Schema(example = "Grace", maxLength = 200) @NotBlank @OneLine(max = 200) String name,
                         @Schema(example = "US") @CountryCode String country,
                         @Schema(description = "Kept only as a keyed hash, so an erasure by email finds the message")
                         @EmailAddress String email) {
    }

    /** The message the service takes: texts trimmed, the country upper-case, an empty language none. */
    MessageService.NewMessage toMessage() {
        return new MessageService.NewMessage(caseId, author.name().trim(), CountryCode.Codes.normalise(author.country()),
                author.email(), text.trim(), language == null || language.isBlank() ? null : language, occurredAt);
    }
}
