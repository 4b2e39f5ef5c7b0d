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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A kustomization as kustomize builds it, as typed objects: core kinds through fabric8's model, Strimzi's through
 * its api module, CloudNativePG's and the Prometheus Operator's (no model on Maven Central for them here) as generic
 * resources. kustomize itself builds it (kubectl's), so what is checked is what `kubectl apply -k` would send: the
 * generated services' manifests with the base's patches applied, the overlays' generated Secrets and ConfigMaps.
 */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class, "KafkaUser", KafkaUser.class);

    final List<HasMetadata> all = new ArrayList<>();

    static Manifests base() {
        return build(Repo.DEPLOY.resolve("kubernetes/base"));
    }

    static Manifests overlay(String name) {
        return build(Repo.DEPLOY.resolve("kubernetes/overlays").resolve(name));
    }

    static Manifests build(Path dir) {
        Manifests manifests = new Manifests();
        manifests.load(dir.toString(), kustomize(dir));
        return manifests;
    }

    /** What `kubectl kustomize DIR` prints; it fails the test with kustomize's own words when kustomize refuses. */
    static String kustomize(Path dir) {
        try {
            // its warnings apart from the YAML it prints
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process;
            try {
                process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                        .redirectError(ProcessBuilder.Redirect.to(errors.toFile())).start();
            } catch (IOException e) {
                throw new AssertionError("kubectl is not installed: the manifests are checked as its kustomize builds them", e);
            }
            String out = new String(process.getInputStream().readAllBytes());
            boolean done = process.waitFor(120, TimeUnit.SECONDS);
            String why = Files.readString(errors);
            Files.delete(errors);
            if (!done || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + why);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /** Every document of a multi-document YAML text; {@code origin} names it in errors. */
    void load(String origin, String text) {
        for (String document : text.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            String kind = yamlOf(document).path("kind").asText();
            Class<? extends HasMetadata> strimzi = STRIMZI.get(kind);
            HasMetadata resource = strimzi != null ? Serialization.unmarshal(document, strimzi) : Serialization.unmarshal(document);
            if (resource == null || resource.getMetadata() == null || resource.getMetadata().getName() == null) {
                throw new IllegalStateException(origin + ": a document without kind or name");
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
