package org.w4r.tally.service;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends every Server-Sent Events stream of this instance when it begins to stop: at the start of the shutdown delay,
 * readiness already down, so a dashboard's or a website's EventSource reconnects to an instance that stays. An open
 * stream is a request in flight: left open, it kept each stopping tally for the whole shutdown timeout (15 s) and was
 * then cut (a read-only audit, 4 December 2026). A stream opened after that ends at once.
 */
@ApplicationScoped
public class StreamsStop {
    private final Set<MultiEmitter<? super Boolean>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    void delayStarts(@Observes ShutdownDelayInitiatedEvent event) {
        stop();
    }

    /** Without a shutdown delay there is no earlier signal than the stop itself. */
    void stops(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stop();
    }

    private void stop() {
        stopping = true;
        waiting.forEach(emitter -> emitter.emit(true));
    }

    /**
     * {@code stream} until it ends or this instance begins to stop. Each stream waits on an emitter of its own, dropped
     * when the stream ends: a shared future, cancelled by the first client to leave, once ended every later stream.
     */
    public <T> Multi<T> untilStopping(Multi<T> stream) {
        Multi<Optional<T>> items = Multi.createBy().concatenating().streams(stream.map(Optional::of),
                Multi.createFrom().item(Optional.empty()));
        Multi<Optional<T>> stop = Multi.createFrom().<Boolean>emitter(emitter -> {
            waiting.add(emitter);
            emitter.onTermination(() -> waiting.remove(emitter));
            if (stopping) { // after the add: a stop that iterated before it set the flag first
                emitter.emit(true);
            }
        }).map(signal -> Optional.empty());
        return Multi.createBy().merging().streams(items, stop).select().first(Optional::isPresent).map(Optional::get);
    }

    public boolean stopping() {
        return stopping;
    }

    /** Streams waiting for the stop now: each leaves when its stream ends, whichever way. */
    int waiting() {
        return waiting.size();
    }
}
