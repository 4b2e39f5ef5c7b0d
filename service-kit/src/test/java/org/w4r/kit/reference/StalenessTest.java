package org.w4r.kit.reference;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StalenessTest {
    static final TopicPartition CREDENTIALS = new TopicPartition("credentials", 0);
    static final long SECOND = 1_000_000_000L;

    @Test
    void aReaderAtTheEndsIsCurrentAsOfTheCheck() {
        Staleness s = new Staleness(0);
        s.checked(Map.of(CREDENTIALS, 10L), Map.of(CREDENTIALS, 10L), 30 * SECOND);
        assertEquals(0.0, s.seconds(30 * SECOND));
        assertEquals(5.0, s.seconds(35 * SECOND));
    }

    @Test
    void aReaderThatCannotReachTheBrokerGrowsStaleByTheClock() {
        Staleness s = new Staleness(0);
        s.checked(Map.of(CREDENTIALS, 10L), Map.of(CREDENTIALS, 10L), 30 * SECOND);
        for (long t = 60; t <= 600; t += 30) {
            s.checked(null, Map.of(CREDENTIALS, 10L), t * SECOND);
        }
        assertEquals(570.0, s.seconds(600 * SECOND));
    }

    @Test
    void underASteadyStreamOfChangesAReaderIsCurrentAsOfThePreviousCheck() {
        Staleness s = new Staleness(0);
        // each check sees new records at the end; by the next one the reader has read what the previous one saw
        s.checked(Map.of(CREDENTIALS, 10L), Map.of(CREDENTIALS, 8L), 30 * SECOND);
        s.checked(Map.of(CREDENTIALS, 20L), Map.of(CREDENTIALS, 18L), 60 * SECOND);
        assertEquals(30.0, s.seconds(60 * SECOND));
        s.checked(Map.of(CREDENTIALS, 30L), Map.of(CREDENTIALS, 28L), 90 * SECOND);
        assertEquals(30.0, s.seconds(90 * SECOND));
    }

    @Test
    void aReaderStuckBehindTheEndsIsStaleEvenWhileTheBrokerAnswers() {
        Staleness s = new Staleness(0);
        for (long t = 30; t <= 300; t += 30) {
            s.checked(Map.of(CREDENTIALS, 100L), Map.of(CREDENTIALS, 40L), t * SECOND);
        }
        assertEquals(300.0, s.seconds(300 * SECOND));
    }
}
