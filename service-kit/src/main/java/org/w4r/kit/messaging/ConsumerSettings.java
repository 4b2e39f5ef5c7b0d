package org.w4r.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code w4r.consumer.*}: how {@link BatchConsumer} retries a batch and how far back {@link ConsumedBatches} knows an
 * event applied (docs/events.md). Every key under the prefix is here, as Quarkus refuses an unknown one at start-up.
 */
@ConfigMapping(prefix = "w4r.consumer")
public interface ConsumerSettings {
    /** Tries of a batch refused for a reason that will not pass, before its events are tried one by one. */
    @WithDefault("3")
    int maxAttempts();

    /** The longest wait between two tries of a batch, or of a dead letter's send. */
    @WithDefault("5000")
    long maxBackoffMs();

    /** Records per partition whose event ids are kept. */
    @WithDefault("100000")
    long dedupeWindow();
}
