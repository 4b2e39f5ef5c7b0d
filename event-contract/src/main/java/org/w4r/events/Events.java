package org.w4r.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** The one JSON mapping of events, shared by every producer and consumer. */
public final class Events {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(EventTime.module()) // after it, so its Instant reader and writer are the ones used
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

    /**
     * The largest count a handover may freeze, in its {@code total} and in each entry of {@code byEntity} and
     * {@code byType}: a case's whole campaign, not one count (so more than {@link #MAX_COUNT}), as large as the largest
     * goal case-service takes (1,000,000,000). Far below what could overflow a 64-bit sum of every handover: a value
     * near {@code Long.MAX_VALUE} once made tally's sum of them fail every dashboard read (read-only review,
     * 6 December 2026). The schema says the same.
     */
    public static final long MAX_FROZEN_COUNT = 1_000_000_000L;


    /**
     * The largest {@code version} the schema and the record take: the last microsecond of year 9999, the last instant
     * an event's date-time can be written as, so far below {@code Long.MAX_VALUE} that case-service's
     * {@code revision + 1} never wraps (one near it once did, and froze the case in every reader, who keep the highest;
     * read-only review, 6 December 2026). A version is not bounded by the reader's clock: for some hours that day a
     * version more than a day ahead was refused, and a case-service whose clock ran a day ahead then placed holds that
     * every reader skipped, a held case open for handovers and exports everywhere (a later read-only review).
     * A version ahead costs nothing: case-service's next one is the last plus one, and its start-up raises its
     * revisions to the topic's.
     */
    public static final long MAX_VERSION = 253_402_300_799_999_999L;

    /**
     * How far ahead of the reader's clock a handover's {@code deliveredAt} and {@code cutoff} may be. delivery-service
     * takes a delivery at most 5 minutes ahead of its clock and a cut-off not after it; petition-service keeps each
     * campaign's latest handover for its retention schedule, so a handover dated years ahead postponed the anonymisation
     * of the campaign's signers for as long (read-only review, 6 December 2026). Thirty days is far more than any
     * clock's error; it also takes the test and demo handovers dated in the coming days of a campaign, and bounds what
     * one bad event can postpone.
     */
    public static final Duration HANDOVER_AHEAD = Duration.ofDays(30);

    /** What every event on the actions topic carries, whatever its count: the action and where it counts. */
    static void requireAction(Class<?> type, Object eventId, Object actionId, Object campaignId, Object entityId,
                              Object actionType, Object mode, Object occurredAt, Object recordedAt,
                              String signerCountry) {
        String name = type.getSimpleName();
        require(name, "eventId", eventId);
        require(name, "actionId", actionId);
        require(name, "campaignId", campaignId);
        require(name, "entityId", entityId);
        require(name, "type", actionType);
        require(name, "mode", mode);
        require(name, "occurredAt", occurredAt);
        require(name, "recordedAt", recordedAt);
        requireCountry(signerCountry);
    }

    /** What every event of a delivery's life carries, whatever else it does. */
    static void requireDelivery(Class<?> type, Object eventId, Object deliveryId, Object campaignId, Object caseId) {
        String name = type.getSimpleName();
        require(name, "eventId", eventId);
        require(name, "deliveryId", deliveryId);
        require(name, "campaignId", campaignId);
        require(name, "caseId", caseId);
    }

    /**
     * A list the schema requires, without a null item (the schema's items are typed; a null one reached a consumer
     * that unboxed or dereferenced it).
     */
    static void requireItems(String event, String field, Collection<?> items) {
        require(event, field, items);
        for (Object item : items) {
            if (item == null) {
                throw new IllegalArgumentException(event + ": '" + field + "' has a null item");
            }
        }
    }

    /** An instant at most {@code ahead} after the reader's clock (null passes: required is checked apart). */
    static void requireNotAhead(String event, String field, Instant value, Duration ahead) {
        if (value != null && value.isAfter(Instant.now().plus(ahead))) {
            throw new IllegalArgumentException(event + ": '" + field + "' is more than " + ahead.toDays()
                    + " day(s) ahead of this clock");
        }
    }

    /** A case's version, in case-service's microseconds: from 0 to {@link #MAX_VERSION}, as the schema says. */
    static void requireVersion(String event, long version) {
        if (version < 0 || version > MAX_VERSION) {
            throw new IllegalArgumentException(event + ": 'version' " + version + " is outside [0, " + MAX_VERSION
                    + "] (microseconds up to the end of year 9999)");
        }
    }

    /** A handover's frozen count: 0 to {@link #MAX_FROZEN_COUNT}. */
    static void requireFrozenCount(String event, String field, long value) {
        if (value < 0 || value > MAX_FROZEN_COUNT) {
            throw new IllegalArgumentException(event + ": '" + field + "' " + value + " is outside [0, "
                    + MAX_FROZEN_COUNT + "]");
        }
    }

    /**
     * A handover's breakdown ({@code byEntity}, {@code byType}): required, each entry a frozen count, summing to
     * {@code total} (what delivery-service's cells give, and what readers show side by side).
     */
    static void requireBreakdown(String event, String field, Map<String, Long> breakdown, long total) {
        require(event, field, breakdown);
        long sum = 0;
        for (Map.Entry<String, Long> entry : breakdown.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new IllegalArgumentException(event + ": '" + field + "' has a null key or count");
            }
            requireFrozenCount(event, field + "." + entry.getKey(), entry.getValue());
            sum = Math.addExact(sum, entry.getValue());
        }
        if (sum != total) {
            throw new IllegalArgumentException(event + ": '" + field + "' sums to " + sum + ", not 'total' " + total);
        }
    }

    /**
     * A signer country is absent or two upper-case letters (what the schemas allow): anything else could never be
     * counted under a country and is refused where it is read.
     */
    private static void requireCountry(String country) {
        // not String.matches: it compiled the pattern for every event, 2-3 % of tally's and delivery's CPU (JFR)
        if (country != null && (country.length() != 2 || !upperCase(country.charAt(0)) || !upperCase(country.charAt(1)))) {
            throw new IllegalArgumentException("'signerCountry' must be two upper-case letters (ISO 3166-1 alpha-2)");
        }
    }

    private static boolean upperCase(char c) {
        return c >= 'A' && c <= 'Z';
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
