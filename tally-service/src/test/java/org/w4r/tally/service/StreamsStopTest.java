package org.w4r.tally.service;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A live stream ends when its instance begins to stop, not when the server is torn down under it. */
class StreamsStopTest {
    @Test
    void anOpenStreamCompletesWhenTheShutdownDelayStarts() {
        StreamsStop stop = new StreamsStop();
        // a stream that would never end by itself, as the live and public case streams
        AssertSubscriber<Long> reader = stop.untilStopping(Multi.createBy().concatenating().streams(
                        Multi.createFrom().items(1L, 2L), Multi.createFrom().<Long>nothing()))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        reader.awaitItems(2);
        reader.assertNotTerminated();
        assertFalse(stop.stopping());

        stop.delayStarts(new ShutdownDelayInitiatedEvent());

        reader.awaitCompletion(Duration.ofSeconds(10));
        assertEquals(List.of(1L, 2L), reader.getItems());
        assertTrue(stop.stopping());
    }

    @Test
    void aStreamOpenedOnceStoppingHasBegunEndsAtOnce() {
        StreamsStop stop = new StreamsStop();
        stop.delayStarts(new ShutdownDelayInitiatedEvent());
        AssertSubscriber<Long> reader = stop.untilStopping(Multi.createFrom().<Long>nothing())
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        reader.awaitCompletion(Duration.ofSeconds(10));
        assertTrue(reader.getItems().isEmpty());
    }

    @Test
    void aClientLeavingEndsNoOtherStream() {
        StreamsStop stop = new StreamsStop();
        AssertSubscriber<Long> leaving = stop.untilStopping(Multi.createFrom().<Long>nothing())
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        leaving.cancel();
        AssertSubscriber<Long> staying = stop.untilStopping(Multi.createBy().concatenating().streams(
                        Multi.createFrom().item(1L), Multi.createFrom().<Long>nothing()))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        staying.awaitItems(1);
        staying.assertNotTerminated();
        assertFalse(stop.stopping(), "a client's leaving is not the instance stopping");

        stop.delayStarts(new ShutdownDelayInitiatedEvent());
        staying.awaitCompletion(Duration.ofSeconds(10));
        assertEquals(0, stop.waiting(), "nothing kept of ended streams");
    }

    /** A stream that ends by itself (a revoked credential ends a live stream) ends for its client too. */
    @Test
    void aStreamThatEndsByItselfEnds() {
        StreamsStop stop = new StreamsStop();
        AssertSubscriber<Long> reader = stop.untilStopping(Multi.createFrom().items(1L, 2L))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        reader.awaitCompletion(Duration.ofSeconds(10));
        assertEquals(List.of(1L, 2L), reader.getItems());
        assertEquals(0, stop.waiting());
    }
}
