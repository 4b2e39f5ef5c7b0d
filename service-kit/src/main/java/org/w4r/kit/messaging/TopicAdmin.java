package org.w4r.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import org.w4r.events.Topics;

import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Creates the platform's topics if they are missing, so that reference topics are compacted from the start
 * (an auto-created topic would not be). Every service calls it at start-up; it is idempotent.
 */
@ApplicationScoped
public class TopicAdmin {
    private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

    @Inject
    KafkaClients clients;

    @Inject
    Settings settings;

    /** {@code w4r.topics.*}: every key under the prefix is here, as Quarkus refuses an unknown one at start-up. */
    @ConfigMapping(prefix = "w4r.topics")
    public interface Settings {
        Actions actions();

        @WithDefault("1")
        short replicationFactor();

        /**
         * False where an operator owns the topics (Strimzi's KafkaTopic resources in deploy/kubernetes): the services'
         * Kafka users there may not create topics, and a refused create would stop every start.
         */
        @WithDefault("true")
        boolean manage();

        interface Actions {
            /** Raised, never lowered: a case's actions are keyed to one partition (docs/operations.md, "Scale out"). */
            @WithDefault("6")
            int partitions();
        }
    }

    private volatile boolean done;

    /** Cheap once done: every send calls it first. */
    public void ensureTopics() {
        if (!done && settings.manage()) {
            createMissing();
        }
    }

    private synchronized void createMissing() {
        if (done) {
            return;
        }
        Admin admin = clients.admin();
        for (Topics.Spec spec : Topics.specs(settings.actions().partitions())) {
            NewTopic topic = new NewTopic(spec.name(), spec.partitions(), settings.replicationFactor()).configs(spec.configs());
            try {
                admin.createTopics(List.of(topic)).all().get();
                LOG.infof("created topic %s", topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        done = true;
    }
}
