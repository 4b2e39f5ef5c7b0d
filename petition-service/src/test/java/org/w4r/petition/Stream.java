package org.w4r.petition;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.w4r.testsupport.TopicReader;

import java.util.List;

/** What is on a topic now, for tests to look at the events this service published. */
final class Stream {
    private Stream() {
    }

    static List<ConsumerRecord<String, String>> containing(String topic, String text) {
        String kafka = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        return TopicReader.readAll(kafka, topic).stream().filter(r -> r.value().contains(text)).toList();
    }
}
