package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.delivery.repository.ErasureRepository;
import org.w4r.events.SignerErased;
import org.w4r.kit.messaging.BatchConsumer;

/**
 * Marks the handovers whose issued packs hold the names of erased signers or message authors; each erasure once, by
 * the kit's window of consumed batches (stored with the marks in one transaction).
 */
@ApplicationScoped
public class ErasureConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    ErasureRepository erasures;

    @Incoming("erasures")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consumeOnce("erasures", records, SignerErased.class, SignerErased::eventId, erasures::apply);
    }
}
