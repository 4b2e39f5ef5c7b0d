package org.w4r.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapping of events, shared by every producer and consumer. */
public final class Events {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // newer producers may add fields; older consumers must keep working
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Events() {
    }

    /**
     * The largest count one event may carry either way, as the schemas say (petition-service takes at most 1,000,000
     * per offline count); far below what could overflow a 64-bit total. An event past it is poison.
     */
    public static final long MAX_COUNT = 1_000_000L;

    /**
     * Events check their own required fields when they are built, so an event that parses but could never be
     * applied (a null type, a count that would overflow a total) is refused where it is read, as unreadable, and
     * goes to the dead letter instead of failing every retry of its batch (it once blocked tally and delivery).
     */
    static void require(String event, String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(event + ": '" + field + "' is required");
        }
    }

    /** What every event on the actions topic carries, whatever its count: the action and where it counts. */
    static void requireAction(Class<?> type, Object eventId, Object actionId, Object campaignId, Object entityId,
                              Object actionType, Object mode, Object occurredAt, String signerCountry) {
        String name = type.getSimpleName();
        require(name, "eventId", eventId);
        require(name, "actionId", actionId);
        require(name, "campaignId", campaignId);
        require(name, "entityId", entityId);
        require(name, "type", actionType);
        require(name, "mode", mode);
        require(name, "occurredAt", occurredAt);
        requireCountry(signerCountry);
    }

    /** What every event of a delivery's life carries, whatever else it does. */
    static void requireDelivery(Class<?> type, Object eventId, Object deliveryId, Object caseId) {
        String name = type.getSimpleName();
        require(name, "eventId", eventId);
        require(name, "deliveryId", deliveryId);
        require(name, "caseId", caseId);
    }

    /**
     * A signer country is absent or two upper-case letters (what the schemas allow): anything else could never be
     * counted under a country and is refused where it is read.
     */
    private static void requireCountry(String country) {
        if (country != null && !country.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("'signerCountry' must be two upper-case letters (ISO 3166-1 alpha-2)");
        }
    }

    static void requireCount(String field, long value, long min) {
        if (value < Math.max(min, -MAX_COUNT) || value > MAX_COUNT || value == 0) {
            throw new IllegalArgumentException("'" + field + "' " + value + " is outside [" + Math.max(min, -MAX_COUNT)
                    + ", " + MAX_COUNT + "]");
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid " + type.getSimpleName(), e);
        }
    }
}
