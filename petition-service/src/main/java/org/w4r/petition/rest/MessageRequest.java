package org.w4r.petition.rest;

import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.MessageService;

import java.time.Instant;
import java.util.regex.Pattern;

/** A solidarity message to a rights holder; it is counted when accepted and delivered only once approved. */
public record MessageRequest(String caseId, Author author, String text, String language, Instant occurredAt) {
    static final int MAX_TEXT = 2_000;
    private static final Pattern LANGUAGE = Pattern.compile("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$");

    /**
     * {@code email} is optional and kept only as the keyed hash signatures use, so an erasure request by email finds
     * the author's messages too; without it an erasure by email cannot find the message.
     */
    public record Author(String name, String country, String email) {
    }

    /** The message, once every field is checked (texts trimmed, the country upper-case). */
    MessageService.NewMessage toMessage() {
        String id = Inputs.text("caseId", caseId, 64);
        if (author == null) {
            throw ProblemException.invalid("author", "'author' with 'name' is required");
        }
        String name = Inputs.text("author.name", author.name(), 200);
        String country = Inputs.country("author.country", author.country());
        String email = author.email() == null ? null : Inputs.email("author.email", author.email());
        String body = Inputs.multilineText("text", text, MAX_TEXT);
        String tag = Inputs.optionalText("language", language, 35);
        if (tag != null && !LANGUAGE.matcher(tag).matches()) {
            throw ProblemException.invalid("language", "'language' must be a language tag such as 'en' or 'pt-BR'");
        }
        return new MessageService.NewMessage(id, name, country, email, body, tag, Inputs.occurredAt("occurredAt", occurredAt));
    }
}
