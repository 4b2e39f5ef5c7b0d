package org.w4r.delivery.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An instant as this API takes it: an ISO-8601 string such as {@code 2027-03-28T10:00:00Z}. Jackson's own reader
 * takes a JSON number as seconds since 1970 ({@code 1700000000} is a day in 2023, {@code 1e30} overflows) and an
 * empty string as no value: both are refused here, as the document says (a string, date-time).
 */
public class IsoInstant extends StdScalarDeserializer<Instant> {
    public IsoInstant() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
        if (!p.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) context.handleUnexpectedToken(Instant.class, p);
        }
        String text = p.getText();
        Optional<Instant> instant = read(text);
        if (instant.isPresent()) {
            return instant.get();
        }
        return (Instant) context.handleWeirdStringValue(Instant.class, text,
                "must be an ISO-8601 instant such as 2027-03-28T10:00:00Z");
    }

    /** The instant, or empty if the text is not one (also for query parameters). */
    static Optional<Instant> read(String text) {
        if (text == null || text.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
