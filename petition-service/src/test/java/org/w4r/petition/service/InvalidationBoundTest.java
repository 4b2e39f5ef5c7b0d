package org.w4r.petition.service;

import org.junit.jupiter.api.Test;
import org.w4r.kit.messaging.ConsumerSettings;
import org.w4r.kit.outbox.OutboxRelay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The startup check that keeps a bulk invalidation's drain inside the consumers' dedupe window (docs/reliability.md,
 * "Open defects"): two at once and two relay batches must fit. The default (40,000 against 100,000 and batches of
 * 1,000) passes; the former 200,000 does not; the bound itself is exact.
 */
class InvalidationBoundTest {
    record Consumers(long dedupeWindow) implements ConsumerSettings {
        @Override
        public int maxAttempts() {
            return 5;
        }

        @Override
        public long maxBackoffMs() {
            return 1000;
        }
    }

    record Relay(int batchSize) implements OutboxRelay.Settings {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public long idlePollMs() {
            return 250;
        }

        @Override
        public long gatherMs() {
            return 50;
        }
    }

    static void check(int maxActions) {
        InvalidationService service = new InvalidationService();
        service.maxActions = maxActions;
        service.check(null, new Consumers(100_000), new Relay(1_000));
    }

    @Test
    void twoInvalidationsAtOnceAndTwoRelayBatchesMustFitInTheWindow() {
        assertDoesNotThrow(() -> check(40_000));
        assertDoesNotThrow(() -> check(49_000));
        assertThrows(IllegalStateException.class, () -> check(49_001));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> check(200_000));
        assertTrue(refused.getMessage().contains("w4r.consumer.dedupe-window (100000)"), refused.getMessage());
    }
}
