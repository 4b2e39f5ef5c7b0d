package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.delivery.repository.ErasureRepository;
import org.w4r.events.SignerErased;
import org.w4r.kit.messaging.BatchConsumer;

/** Marks the handovers whose issued packs hold the names of erased signers or message authors. */
@ApplicationScoped
public class ErasureConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    ErasureRepository erasures;

    @Incoming("erasures")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consume(records, SignerErased.class, erasures::apply);
    }
}
