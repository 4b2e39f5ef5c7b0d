package org.w4r.delivery.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * An instant as this API takes it: an ISO-8601 string such as {@code 2027-03-28T10:00:00Z}. Jackson's own reader
 * takes a JSON number as seconds since 1970 ({@code 1700000000} is a day in 2023, {@code 1e30} overflows) and an
 * empty string as no value: both are refused here, as the document says (a string, date-time). Every instant the
 * API takes is read here, at the microsecond ({@link #read}).
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

    /**
     * The instant, or empty if the text is not one (also for query parameters); truncated to the microsecond, the
     * grain PostgreSQL stores. Read once here, before anything compares, stores or publishes it: until a read-only
     * review (6 December 2026) the nanoseconds were kept, and PgJDBC rounds them to the microsecond when it binds a
     * timestamp, so a cut-off of {@code 23:59:59.9999995Z} was stored and counted at the next day's {@code 00:00:00Z}
     * while {@code HandoverRecorded}, the answer and the audit entry carried the value as sent.
     */
    static Optional<Instant> read(String text) {
        if (text == null || text.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text).truncatedTo(ChronoUnit.MICROS));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
