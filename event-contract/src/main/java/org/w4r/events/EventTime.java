package org.w4r.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An event's instants as text, written and read exactly as {@link Instant#toString()} and {@link Instant#parse} do
 * (ISO-8601 in UTC, {@code 2020-12-10T09:30:00.123456Z}), without {@code java.time}'s general formatter.
 *
 * <p>Why hand-written: every action event carries two instants, written once by petition-service and read by tally-
 * and delivery-service, and the JDK formats and parses them through {@code DateTimeFormatter}'s general machinery. In a
 * batched replay (JFR, 7 December 2026) that was a sixth of delivery-service's CPU and about a thirteenth of
 * petition-service's. Only the one canonical shape is taken here, years 0000 to 9999 and 0 to 9 fraction digits;
 * anything else (a lower-case {@code t}, an offset, a leap second, a number) goes to the JDK's or Jackson's own code,
 * so what is accepted and what it means are theirs. {@code EventTimeTest} holds both to the JDK's on random instants and
 * on text altered a character at a time.
 */
public final class EventTime {
    private EventTime() {
    }

    /** As {@link Instant#toString()}. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        if (day < MIN_DAY || day > MAX_DAY) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int nano = instant.getNano();
        char[] out = new char[nano == 0 ? 20 : nano % 1_000_000 == 0 ? 24 : nano % 1_000 == 0 ? 27 : 30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (nano != 0) {
            // as ISO_INSTANT: the fraction in groups of three digits, as few groups as hold it
            out[19] = '.';
            int length = out.length - 21;
            digits(out, 20, nano / POWERS[9 - length], length);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** As {@link Instant#parse}; the canonical shape read here, any other text by the JDK. */
    public static Instant parse(CharSequence text) {
        Instant fast = canonical(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The instant, if {@code s} has the canonical shape; null for anything else, valid or not. */
    static Instant canonical(CharSequence s) {
        int length = s.length();
        if (length < 20 || length > 30 || length == 21 || s.charAt(length - 1) != 'Z' || s.charAt(4) != '-'
                || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = number(s, 0, 4), month = number(s, 5, 2), day = number(s, 8, 2);
        int hour = number(s, 11, 2), minute = number(s, 14, 2), second = number(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null; // a leap second (23:59:60) is the JDK's to take
        }
        int nano = 0;
        if (length > 20) {
            if (s.charAt(19) != '.') {
                return null;
            }
            int fraction = number(s, 20, length - 21);
            if (fraction < 0) {
                return null;
            }
            nano = fraction * POWERS[9 - (length - 21)];
        }
        LocalDate date;
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        date = LocalDate.of(year, month, day);
        return Instant.ofEpochSecond(date.toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second, nano);
    }

    /** Jackson's reading and writing of {@link Instant} through this class, for the events' one mapper. */
    static SimpleModule module() {
        return new SimpleModule("event-time")
                .addSerializer(Instant.class, new StdScalarSerializer<>(Instant.class) {
                    @Override
                    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider)
                            throws IOException {
                        generator.writeString(format(value));
                    }
                })
                .addDeserializer(Instant.class, new StdScalarDeserializer<>(Instant.class) {
                    @Override
                    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        if (parser.hasToken(JsonToken.VALUE_STRING)) {
                            Instant fast = canonical(parser.getText());
                            if (fast != null) {
                                return fast;
                            }
                        }
                        // every other form as the JavaTimeModule reads it (numbers, offsets, blanks, errors)
                        return InstantDeserializer.INSTANT.deserialize(parser, context);
                    }
                });
    }

    private static final long MIN_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
            1_000_000_000};

    private static void digits(char[] out, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number in {@code s[at, at + count)}, or -1 if any of it is not an ASCII digit. */
    private static int number(CharSequence s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
