package org.w4r.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import org.w4r.events.Topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Creates the platform's topics if they are missing, so that reference topics are compacted from the start
 * (an auto-created topic would not be), and sets on the existing ones the settings their spec makes. Every service
 * calls it at start-up; it is idempotent. Where an operator owns the topics ({@code w4r.topics.manage=false}) it asks
 * the broker nothing.
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
        List<Topics.Spec> existing = new ArrayList<>();
        for (Topics.Spec spec : Topics.specs(settings.actions().partitions())) {
            NewTopic topic = new NewTopic(spec.name(), spec.partitions(), settings.replicationFactor()).configs(spec.configs());
            try {
                admin.createTopics(List.of(topic)).all().get();
                LOG.infof("created topic %s", topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                }
                existing.add(spec);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (!existing.isEmpty()) {
            correct(admin, existing);
        }
        done = true;
    }

    /**
     * Sets on topics that already existed what their spec sets and they lack. "Exists" was taken for "as specified":
     * a reference topic made before the 30-day {@code delete.retention.ms} kept the broker's 24 h, so a reader away
     * for 25 h could miss a revocation's tombstone, compacted away, and keep the key; {@code min.compaction.lag.ms}
     * likewise (a read-only review, 6 December 2026). Incremental: a setting the spec does not make (an operator's)
     * stays. Partitions are only reported: added to a keyed topic they move keys to other partitions, which an
     * operator does in a quiet moment (docs/operations.md, "Scale out"), never a start.
     */
    private void correct(Admin admin, List<Topics.Spec> specs) {
        List<String> names = specs.stream().map(Topics.Spec::name).toList();
        Map<ConfigResource, Topics.Spec> resources = new LinkedHashMap<>();
        specs.forEach(spec -> resources.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), spec));
        try {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            for (Topics.Spec spec : specs) {
                int partitions = described.get(spec.name()).partitions().size();
                if (partitions < spec.partitions()) {
                    LOG.warnf("topic %s has %d partitions, %d are set: a start does not add them (keys would move); "
                            + "add them by hand in a quiet moment (docs/operations.md, \"Scale out\")", spec.name(),
                            partitions, spec.partitions());
                }
            }
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources.keySet()).all().get();
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
            List<String> changed = new ArrayList<>();
            resources.forEach((resource, spec) -> spec.configs().forEach((key, wanted) -> {
                ConfigEntry held = configs.get(resource).get(key);
                String value = held == null ? null : held.value();
                if (!wanted.equals(value)) {
                    changes.computeIfAbsent(resource, r -> new ArrayList<>())
                            .add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                    changed.add(String.format("topic %s: %s %s -> %s", spec.name(), key, value, wanted));
                }
            }));
            if (!changes.isEmpty()) {
                admin.incrementalAlterConfigs(changes).all().get();
                changed.forEach(change -> LOG.infof("corrected %s", change));
            }
        } catch (ExecutionException e) {
            // a broker that lets a service create topics but not alter them (ACLs, a managed Kafka) started the
            // services before this check existed: it must not stop them now (a second review, 6 December 2026)
            LOG.warnf("cannot check or correct the settings of topics %s (%s): they keep what they have; set them as "
                    + "kafka/topics.yaml does (docs/operations.md)", names, Failures.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
