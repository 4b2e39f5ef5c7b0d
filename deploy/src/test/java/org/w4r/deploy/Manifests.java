package org.w4r.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes base as typed objects: core kinds through fabric8's model, Strimzi's through its api module,
 * CloudNativePG's and the Prometheus Operator's (no model on Maven Central for them here) as generic resources.
 * Files are the ones kustomization.yaml lists, so a file left out of it is left out here too.
 */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class, "KafkaUser", KafkaUser.class);

    final List<HasMetadata> all = new ArrayList<>();

    static Manifests base() {
        Path dir = Repo.DEPLOY.resolve("kubernetes/base");
        Manifests manifests = new Manifests();
        for (JsonNode file : kustomization(dir).get("resources")) {
            manifests.load(dir.resolve(file.asText()));
        }
        return manifests;
    }

    static JsonNode kustomization(Path dir) {
        return yaml(dir.resolve("kustomization.yaml"));
    }

    static JsonNode yaml(Path path) {
        try {
            return YAML.readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }

    private void load(Path file) {
        String text = Repo.read(file);
        for (String document : text.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            String kind = yamlOf(document).path("kind").asText();
            Class<? extends HasMetadata> strimzi = STRIMZI.get(kind);
            HasMetadata resource = strimzi != null ? Serialization.unmarshal(document, strimzi) : Serialization.unmarshal(document);
            if (resource == null || resource.getMetadata() == null || resource.getMetadata().getName() == null) {
                throw new IllegalStateException(file + ": a document without kind or name");
            }
            all.add(resource);
        }
    }

    private static JsonNode yamlOf(String document) {
        try {
            return YAML.readTree(document);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    <T extends HasMetadata> List<T> of(Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return of(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    List<GenericKubernetesResource> generic(String kind) {
        return of(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }
}
