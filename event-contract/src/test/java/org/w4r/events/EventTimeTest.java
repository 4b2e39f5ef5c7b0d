package org.w4r.events;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EventTime} against the JDK's own: the same text written, the same instant read, the same text refused. */
class EventTimeTest {
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void writesAndReadsEveryInstantAsTheJdkDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(YEAR_0 - 86_400 * 400L, YEAR_10000 + 86_400 * 400L),
                    nano(random));
            String jdk = instant.toString();
            assertEquals(jdk, EventTime.format(instant));
            assertEquals(instant, EventTime.parse(jdk), jdk);
        }
        // Instant.toString writes 0, 3, 6 or 9 fraction digits; ISO-8601 text may have any number from 1 to 9
        for (int digits = 1; digits <= 9; digits++) {
            for (int i = 0; i < 2_000; i++) {
                StringBuilder text = new StringBuilder(Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L)).toString());
                text.setLength(19);
                text.append('.');
                for (int d = 0; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
                String iso = text.append('Z').toString();
                assertEquals(Instant.parse(iso), EventTime.canonical(iso), iso);
            }
        }
        for (String edge : new String[]{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "2020-02-29T12:00:00.5Z", "2024-12-31T23:59:59.000001Z", "1969-12-31T23:59:59.999Z"}) {
            assertEquals(Instant.parse(edge), EventTime.parse(edge), edge);
            assertEquals(Instant.parse(edge).toString(), EventTime.format(Instant.parse(edge)), edge);
        }
    }

    /** Every one-character change of a canonical instant: taken as the JDK takes it, or refused as it refuses it. */
    @Test
    void textAlteredACharacterAtATimeMeansWhatItMeansToTheJdk() {
        SplittableRandom random = new SplittableRandom(11);
        String alphabet = "0123456789:-.TZtz+ 9";
        int fastRefused = 0;
        for (int i = 0; i < 3_000; i++) {
            String canonical = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), nano(random)).toString();
            for (int at = 0; at < canonical.length(); at++) {
                for (int k = 0; k < alphabet.length(); k++) {
                    String text = canonical.substring(0, at) + alphabet.charAt(k) + canonical.substring(at + 1);
                    Instant jdk;
                    try {
                        jdk = Instant.parse(text);
                    } catch (DateTimeParseException e) {
                        jdk = null;
                        assertNull(EventTime.canonical(text), text);
                        assertThrows(DateTimeParseException.class, () -> EventTime.parse(text), text);
                        fastRefused++;
                        continue;
                    }
                    assertEquals(jdk, EventTime.parse(text), text);
                    Instant fast = EventTime.canonical(text);
                    assertTrue(fast == null || fast.equals(jdk), text);
                }
            }
        }
        assertTrue(fastRefused > 100_000, "the alterations include text the JDK refuses: " + fastRefused);
    }

    @Test
    void theEventsMapperWritesAndReadsInstantsThroughIt() throws Exception {
        Instant at = Instant.parse("2020-12-10T09:30:00.123456Z");
        ActionEvent event = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3",
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 1, at, at.plusMillis(5), "FR");
        String json = Events.toJson(event);
        assertTrue(json.contains("\"occurredAt\":\"2020-12-10T09:30:00.123456Z\""), json);
        assertEquals(event, Events.fromJson(json, ActionEvent.class));
        // the serialiser and the deserialiser found for Instant are these, not the JavaTimeModule's (registered first)
        assertTrue(Events.mapper().getSerializerProviderInstance().findValueSerializer(Instant.class).getClass()
                .getName().startsWith(EventTime.class.getName()));
        DeserializationContext reading = ((DefaultDeserializationContext) Events.mapper().getDeserializationContext())
                .createDummyInstance(Events.mapper().getDeserializationConfig());
        assertTrue(reading.findRootValueDeserializer(Events.mapper().constructType(Instant.class)).getClass().getName()
                .startsWith(EventTime.class.getName()));
        // forms other than the canonical one are still the JavaTimeModule's: an offset, and epoch seconds
        assertEquals(at, Events.fromJson(json.replace("2020-12-10T09:30:00.123456Z", "2020-12-10T10:30:00.123456+01:00"),
                ActionEvent.class).occurredAt());
        assertEquals(Instant.ofEpochSecond(1_607_592_600), Events.fromJson(
                json.replace("\"2020-12-10T09:30:00.123456Z\"", "1607592600"), ActionEvent.class).occurredAt());
        UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> Events.fromJson(
                json.replace("2020-12-10T09:30:00.123456Z", "2020-02-30T09:30:00Z"), ActionEvent.class));
        assertTrue(refused.getCause() instanceof JsonMappingException, refused.toString());
    }

    @Test
    void aSignerCountryIsTwoUpperCaseLettersOrTheEventIsPoison() {
        String json = Events.toJson(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3",
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 1, EventSchemaTest.T, EventSchemaTest.T, "FR"));
        assertEquals("ZA", Events.fromJson(json.replace("\"FR\"", "\"ZA\""), ActionEvent.class).signerCountry());
        for (String bad : new String[]{"fr", "F", "FRA", "F1", "Fr", "@A", "A[", "", "ÉA"}) {
            assertThrows(UncheckedIOException.class,
                    () -> Events.fromJson(json.replace("\"FR\"", "\"" + bad + "\""), ActionEvent.class), bad);
        }
    }

    private static int nano(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}
