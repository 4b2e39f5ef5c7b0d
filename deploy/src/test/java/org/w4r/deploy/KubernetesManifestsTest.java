package org.w4r.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.common.template.PodTemplate;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants deploy/kubernetes must keep, read from the manifests as kustomize builds them, as typed objects (see
 * Manifests). The services' Deployments are quarkus-kubernetes' output with the base's patches applied, so a setting
 * broken in a service's application.properties (or in service-kit's) fails here once the copy is refreshed, and the
 * copy not refreshed fails {@link #theBaseHoldsWhatEachServiceBuildGenerated}.
 */
class KubernetesManifestsTest {
    static final Manifests BASE = Manifests.base();
    /** The ConfigMap through which a deployer sets tracing and staff sign-in for every service. */
    static final String PLATFORM_SETTINGS = "w4r-platform-settings";

    /** The topics each service writes, as docs/events.md lists them (plus the dead letters of what it consumes). */
    static final Map<String, Set<String>> WRITES = Map.of(
            "case-service", Set.of(Topics.CAMPAIGNS, Topics.CASES, Topics.ENTITIES, Topics.CREDENTIALS),
            "petition-service", Set.of(Topics.ACTIONS, Topics.MODERATION, Topics.ERASURES, Topics.deadLetter(Topics.DELIVERIES)),
            "tally-service", Set.of(Topics.deadLetter(Topics.ACTIONS), Topics.deadLetter(Topics.DELIVERIES),
                    Topics.deadLetter(Topics.CASES)),
            "delivery-service", Set.of(Topics.DELIVERIES, Topics.deadLetter(Topics.ACTIONS),
                    Topics.deadLetter(Topics.MODERATION), Topics.deadLetter(Topics.ERASURES)));

    static Container container(String service) {
        List<Container> containers = BASE.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), service);
        return containers.get(0);
    }

    static Map<String, EnvVar> env(String service) {
        return container(service).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    static String value(String service, String variable) {
        EnvVar var = env(service).get(variable);
        assertNotNull(var, service + " sets " + variable);
        return var.getValue();
    }

    @Test
    void everyTopicTheCodeUsesExistsReplicatedAsItExpects() {
        int actionPartitions = Integer.parseInt(System.getProperty("w4r.topics.actions.partitions", "6"));
        Map<String, KafkaTopic> topics = BASE.of(KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
        List<Topics.Spec> specs = Topics.specs(actionPartitions);
        assertEquals(specs.stream().map(Topics.Spec::name).collect(Collectors.toSet()), topics.keySet(),
                "exactly the topics of org.w4r.events.Topics");
        for (Topics.Spec spec : specs) {
            KafkaTopic topic = topics.get(spec.name());
            assertEquals("w4r", topic.getMetadata().getLabels().get("strimzi.io/cluster"), spec.name());
            assertEquals(spec.partitions(), topic.getSpec().getPartitions(), spec.name());
            assertEquals(3, topic.getSpec().getReplicas(), spec.name());
            assertEquals("2", String.valueOf(topic.getSpec().getConfig().get("min.insync.replicas")), spec.name());
            spec.configs().forEach((k, v) -> assertEquals(v, String.valueOf(topic.getSpec().getConfig().get(k)),
                    spec.name() + " " + k));
        }
        for (String reference : Topics.REFERENCE) {
            assertEquals("compact", topics.get(reference).getSpec().getConfig().get("cleanup.policy"), reference);
        }
        // every other topic but the dead letters is kept for good (docs/events.md), not for the broker's default 7 days,
        // after which a consumer that waited longer skipped what was deleted unread (a read-only review, 7 December 2026)
        for (Topics.Spec spec : specs) {
            if (!List.of(Topics.REFERENCE).contains(spec.name()) && !spec.name().endsWith(".dead-letter")) {
                assertEquals("-1", String.valueOf(topics.get(spec.name()).getSpec().getConfig().get("retention.ms")),
                        spec.name() + " is kept");
                assertEquals("-1", spec.configs().get("retention.ms"), spec.name() + " is created kept");
            }
        }
    }

    @Test
    void kafkaIsThreeKraftNodesThatNeedTwoCopiesOfEveryWrite() {
        Kafka kafka = BASE.named(Kafka.class, "w4r");
        // KRaft and node pools need no annotation from Strimzi 0.48 on (it ignores strimzi.io/kraft and
        // strimzi.io/node-pools): the controllers of the node pools below are what make it KRaft
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertEquals(3, ((Number) config.get("default.replication.factor")).intValue());
        assertEquals(2, ((Number) config.get("min.insync.replicas")).intValue());
        assertEquals(3, ((Number) config.get("offsets.topic.replication.factor")).intValue());
        assertEquals(false, config.get("auto.create.topics.enable"));
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            assertTrue(listener.isTls(), listener.getName() + " uses TLS");
            assertTrue(listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512, listener.getName());
        }
        assertNotNull(kafka.getSpec().getKafka().getAuthorization(), "ACLs are enforced");
        int brokers = 0;
        int controllers = 0;
        for (KafkaNodePool pool : BASE.of(KafkaNodePool.class)) {
            assertEquals("w4r", pool.getMetadata().getLabels().get("strimzi.io/cluster"));
            brokers += pool.getSpec().getRoles().contains(ProcessRoles.BROKER) ? pool.getSpec().getReplicas() : 0;
            controllers += pool.getSpec().getRoles().contains(ProcessRoles.CONTROLLER) ? pool.getSpec().getReplicas() : 0;
        }
        assertTrue(brokers >= 3, "three brokers, so one can be lost with two copies left");
        assertTrue(controllers >= 3 && controllers % 2 == 1, "a KRaft quorum that survives one loss");
    }

    /**
     * Three copies of a partition protect nothing if two brokers share a machine: its loss stops every write to the
     * partitions they share (min.insync.replicas 2). Required anti-affinity per machine on the pods Strimzi labels as
     * the cluster's Kafka nodes, and rack awareness per zone. Found missing in the read-only review of the deployment
     * files, 4 December 2026.
     */
    @Test
    void kafkaBrokersNeverShareAMachineAndKnowTheirZone() {
        Kafka kafka = BASE.named(Kafka.class, "w4r");
        String cluster = kafka.getMetadata().getName();
        assertNotNull(kafka.getSpec().getKafka().getRack(), "rack awareness: replicas spread over zones");
        assertEquals("topology.kubernetes.io/zone", kafka.getSpec().getKafka().getRack().getTopologyKey());
        for (KafkaNodePool pool : BASE.of(KafkaNodePool.class)) {
            if (!pool.getSpec().getRoles().contains(ProcessRoles.BROKER)) {
                continue;
            }
            String name = pool.getMetadata().getName();
            // the labels Strimzi puts on a node pool's pods (KafkaPool, Labels)
            Map<String, String> podLabels = Map.of("strimzi.io/cluster", cluster, "strimzi.io/name", cluster + "-kafka",
                    "strimzi.io/kind", "Kafka", "strimzi.io/pool-name", name, "strimzi.io/broker-role", "true");
            PodTemplate pod = pool.getSpec().getTemplate() == null ? null : pool.getSpec().getTemplate().getPod();
            PodAntiAffinity anti = pod == null || pod.getAffinity() == null ? null : pod.getAffinity().getPodAntiAffinity();
            assertNotNull(anti, name + ": no pod anti-affinity, so two brokers may share a machine");
            List<PodAffinityTerm> required = anti.getRequiredDuringSchedulingIgnoredDuringExecution();
            assertTrue(required != null && required.stream().anyMatch(term -> "kubernetes.io/hostname".equals(term.getTopologyKey())
                            && selects(term, podLabels)),
                    name + ": required anti-affinity per machine (kubernetes.io/hostname) on the cluster's Kafka pods "
                            + podLabels + ", got " + required);
        }
    }

    /** The term selects the given pods by labels alone, and one of them is the cluster's (not every Kafka's). */
    private static boolean selects(PodAffinityTerm term, Map<String, String> podLabels) {
        if (term.getLabelSelector() == null || term.getLabelSelector().getMatchLabels() == null) {
            return false;
        }
        Map<String, String> labels = term.getLabelSelector().getMatchLabels();
        return (term.getLabelSelector().getMatchExpressions() == null || term.getLabelSelector().getMatchExpressions().isEmpty())
                && labels.containsKey("strimzi.io/cluster") && podLabels.entrySet().containsAll(labels.entrySet());
    }

    @Test
    void eachServiceHasItsOwnKafkaUserAllowedOnlyWhatItDoes() {
        assertEquals(Set.of(Repo.SERVICES), BASE.of(KafkaUser.class).stream().map(u -> u.getMetadata().getName())
                .collect(Collectors.toSet()));
        for (String service : Repo.SERVICES) {
            KafkaUser user = BASE.named(KafkaUser.class, service);
            assertTrue(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication, service);
            List<AclRule> acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
            Map<String, Set<AclOperation>> topics = new HashMap<>();
            Map<String, Set<AclOperation>> groups = new HashMap<>();
            for (AclRule acl : acls) {
                if (acl.getResource() instanceof AclRuleTopicResource t) {
                    assertEquals("literal", t.getPatternType().toValue(), service + " no wildcard topics");
                    topics.computeIfAbsent(t.getName(), k -> new HashSet<>()).addAll(acl.getOperations());
                } else if (acl.getResource() instanceof AclRuleGroupResource g) {
                    groups.computeIfAbsent(g.getName(), k -> new HashSet<>()).addAll(acl.getOperations());
                } else {
                    throw new AssertionError(service + ": only topic and group rules, got " + acl.getResource());
                }
            }
            // its read model: every reference topic, from the beginning, without a group
            for (String reference : Topics.REFERENCE) {
                assertTrue(topics.getOrDefault(reference, Set.of()).contains(AclOperation.READ), service + " reads " + reference);
            }
            // what it consumes, under the group its settings name
            Map<String, String> settings = Repo.settings(service);
            settings.forEach((key, topic) -> {
                if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                    String group = settings.get(key.replace(".topic", ".group.id"));
                    assertTrue(topics.getOrDefault(topic, Set.of()).contains(AclOperation.READ), service + " reads " + topic);
                    assertTrue(groups.getOrDefault(group, Set.of()).contains(AclOperation.READ), service + " group " + group);
                }
            });
            Set<String> writes = topics.entrySet().stream().filter(e -> e.getValue().contains(AclOperation.WRITE))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(WRITES.get(service)), writes, service + " writes exactly its own topics");
            assertTrue(topics.values().stream().noneMatch(ops -> ops.contains(AclOperation.CREATE)
                    || ops.contains(AclOperation.DELETE) || ops.contains(AclOperation.ALTER) || ops.contains(AclOperation.ALL)),
                    service + ": topics belong to the Topic Operator");
        }
    }

    @Test
    void everyServiceRunsHardenedProbedAndBounded() {
        for (String service : Repo.DEPLOYED) {
            Deployment deployment = BASE.named(Deployment.class, service);
            assertTrue(fewestPods(BASE, service) >= 2, service + " survives losing a pod");
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), service);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), service);
            assertFalse(Boolean.TRUE.equals(pod.getAutomountServiceAccountToken()), service + " needs no API token");
            assertTrue(pod.getTerminationGracePeriodSeconds() != null
                            && pod.getTerminationGracePeriodSeconds() >= Repo.gracefulStopSeconds(),
                    service + " is given the time its graceful stop takes (" + Repo.gracefulStopSeconds() + " s), not killed midway");
            assertEquals(service, pod.getServiceAccountName(), service + " runs as its own account");
            BASE.named(ServiceAccount.class, service);
            Container c = container(service);
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), service);
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), service);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), service);
            // the name and tag quarkus.container-image gives the image Jib builds (group w4r, the project's version)
            assertTrue(c.getImage().matches("docker\\.io/w4r/" + service + ":[0-9][^:]*"), service + " image pinned: " + c.getImage());
            int port = Repo.port(service);
            assertEquals(port, c.getPorts().get(0).getContainerPort(), service + " port from its settings");
            assertEquals("http", c.getPorts().get(0).getName(), service + ": the port the PodMonitor and NetworkPolicies name");
            assertEquals(String.valueOf(port), value(service, "QUARKUS_HTTP_PORT"));
            probe(service, c, c.getStartupProbe(), "/q/health/started");
            probe(service, c, c.getReadinessProbe(), "/q/health/ready");
            probe(service, c, c.getLivenessProbe(), "/q/health/live");
            assertTrue(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold() >= 120,
                    service + " has minutes to migrate its database before liveness counts");
            assertNotNull(c.getResources().getRequests().get("cpu"), service);
            assertNotNull(c.getResources().getRequests().get("memory"), service);
            assertNotNull(c.getResources().getLimits().get("memory"), service);
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                    service + ": a writable /tmp on a read-only root");
            Service svc = BASE.named(Service.class, service);
            assertEquals(port, svc.getSpec().getPorts().get(0).getPort());
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
        }
    }

    private static void probe(String service, Container c, Probe probe, String path) {
        assertNotNull(probe, service + " " + path);
        assertEquals(path, probe.getHttpGet().getPath(), service);
        IntOrString port = probe.getHttpGet().getPort();
        assertTrue(c.getPorts().get(0).getContainerPort().equals(port.getIntVal()) || "http".equals(port.getStrVal()),
                service + " " + path + " asks the service's own port, not " + port);
    }

    @Test
    void everySettingAServiceReadsIsGiven() {
        Set<String> secrets = new HashSet<>();
        for (String service : Repo.SERVICES) {
            Map<String, EnvVar> env = env(service);
            for (String variable : Repo.requiredVariables(service)) {
                if (variable.startsWith("W4R_DB_PASSWORD") || variable.startsWith("PG")) {
                    continue; // ./platform's local settings; here the datasource is set whole (below)
                }
                assertTrue(env.containsKey(variable), service + " needs " + variable);
            }
            String db = value(service, "QUARKUS_DATASOURCE_JDBC_URL");
            assertTrue(db.matches("jdbc:postgresql://w4r-postgres-rw:5432/w4r_[a-z]+(\\?.*)?"), db);
            for (String name : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_SASL_JAAS_CONFIG")) {
                assertNotNull(env.get(name).getValueFrom().getSecretKeyRef(), service + " " + name + " from a Secret");
            }
            assertEquals(service, env.get("KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef().getName(),
                    "the Secret the User Operator writes for the service's own Kafka user");
            assertEquals("SASL_SSL", value(service, "KAFKA_SECURITY_PROTOCOL"));
            assertEquals("SCRAM-SHA-512", value(service, "KAFKA_SASL_MECHANISM"));
            assertTrue(value(service, "KAFKA_BOOTSTRAP_SERVERS").startsWith("w4r-kafka-bootstrap:9093"));
            assertEquals("false", value(service, "W4R_TOPICS_MANAGE"), "topics are the operator's");
            assertEquals("3", value(service, "W4R_TOPICS_REPLICATION_FACTOR"));
            env.values().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .map(e -> e.getValueFrom().getSecretKeyRef().getName()).filter(s -> !s.equals(service))
                    .forEach(secrets::add);
            env.values().forEach(e -> assertFalse(e.getValue() != null && e.getName().matches(".*(PASSWORD|KEY|JAAS).*"),
                    service + ": " + e.getName() + " is a secret, never a literal"));
        }
        // the example overlay generates every Secret the services read (the operators write the Kafka users' own)
        Set<String> generated = Manifests.overlay("example").of(Secret.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        assertEquals(secrets, generated);
        assertFalse(Manifests.kustomization(Repo.DEPLOY.resolve("kubernetes/overlays/production")).has("secretGenerator"),
                "production Secrets are created out of band, never from files in git");
    }

    @Test
    void disruptionsAndLoadAreBudgeted() {
        for (String service : Repo.DEPLOYED) {
            Deployment deployment = BASE.named(Deployment.class, service);
            PodDisruptionBudget pdb = BASE.named(PodDisruptionBudget.class, service);
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
            assertTrue(pdb.getSpec().getMinAvailable().getIntVal() < fewestPods(BASE, service),
                    service + ": a drain can still move a pod");
        }
        HorizontalPodAutoscaler hpa = BASE.named(HorizontalPodAutoscaler.class, "petition-service");
        assertEquals("petition-service", hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2);
    }

    /** The autoscaler of a build that scales a Deployment, if any. */
    static java.util.Optional<HorizontalPodAutoscaler> autoscalerOf(Manifests manifests, String deployment) {
        return manifests.of(HorizontalPodAutoscaler.class).stream()
                .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                        && deployment.equals(h.getSpec().getScaleTargetRef().getName()))
                .findFirst();
    }

    /** The fewest pods a Deployment of a build runs: its autoscaler's minReplicas, else its replicas (1 when unset). */
    static int fewestPods(Manifests manifests, String deployment) {
        Integer replicas = manifests.named(Deployment.class, deployment).getSpec().getReplicas();
        return autoscalerOf(manifests, deployment).map(h -> h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas())
                .orElse(replicas == null ? 1 : replicas);
    }

    /**
     * A Deployment an autoscaler scales has no replica count of its own, on the base and every overlay: applied
     * server-side or by a GitOps tool, the field sets the count back at every deploy (petition-service's generated
     * replicas: 2 undid its autoscaler's 8 at a peak: a read-only review of the deployment files).
     * services/autoscaled-patch.yaml removes it; an overlay's {@code replicas:} must not put it back.
     */
    @Test
    void noAutoscaledDeploymentSetsItsReplicas() {
        Set<String> scaled = new TreeSet<>();
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            for (HorizontalPodAutoscaler hpa : manifests.of(HorizontalPodAutoscaler.class)) {
                if (!"Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind())) {
                    continue;
                }
                String name = hpa.getSpec().getScaleTargetRef().getName();
                Deployment deployment = manifests.named(Deployment.class, name);
                assertNull(deployment.getSpec().getReplicas(), build + ": " + name + " is scaled by the autoscaler "
                        + hpa.getMetadata().getName() + " and sets replicas: " + deployment.getSpec().getReplicas()
                        + ", which every apply puts back over the autoscaler's count");
                assertTrue(hpa.getSpec().getMinReplicas() != null && hpa.getSpec().getMinReplicas() >= 2,
                        build + ": " + name + " never runs fewer than two pods");
                scaled.add(build + ": " + name);
            }
        }
        assertTrue(scaled.containsAll(BUILDS.stream().map(b -> b + ": petition-service").toList()),
                "petition-service is autoscaled on every build: " + scaled);
    }

    /**
     * A service's pods are spread over nodes, required: with {@code whenUnsatisfiable: ScheduleAnyway} both replicas
     * could land on one node, whose drain or crash stopped the service, against what docs/operations.md and
     * service-kit's replicas setting promise (a read-only review of the deployment files). On every build, each
     * Deployment of this repository's modules has a constraint per kubernetes.io/hostname, maxSkew 1,
     * DoNotSchedule, over its own service's pods; a constraint per zone may only prefer (ScheduleAnyway), as a cluster
     * in one zone must still schedule.
     */
    @Test
    void eachServicesPodsAreSpreadOverNodesRequired() {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            for (String service : Repo.DEPLOYED) {
                String where = build + ": " + service;
                PodSpec pod = manifests.named(Deployment.class, service).getSpec().getTemplate().getSpec();
                Map<String, String> labels = podLabels(manifests, service);
                List<io.fabric8.kubernetes.api.model.TopologySpreadConstraint> constraints =
                        pod.getTopologySpreadConstraints() == null ? List.of() : pod.getTopologySpreadConstraints();
                boolean perNode = false;
                for (io.fabric8.kubernetes.api.model.TopologySpreadConstraint c : constraints) {
                    if ("topology.kubernetes.io/zone".equals(c.getTopologyKey())) {
                        assertEquals("ScheduleAnyway", c.getWhenUnsatisfiable(), where + ": a zone constraint only prefers");
                    }
                    if (!"kubernetes.io/hostname".equals(c.getTopologyKey())) {
                        continue;
                    }
                    if (autoscalerOf(manifests, service).isPresent()) {
                        // a pod the autoscaler adds must not stay Pending because the node with the fewest has no room
                        assertEquals("ScheduleAnyway", c.getWhenUnsatisfiable(), where + ": autoscaled, its scale-out "
                                + "would stall at a peak on a required spread");
                    } else {
                        assertEquals("DoNotSchedule", c.getWhenUnsatisfiable(), where + ": two pods of the service may "
                                + "share a node (whenUnsatisfiable " + c.getWhenUnsatisfiable() + "), whose drain or crash "
                                + "stops it");
                    }
                    assertEquals(Integer.valueOf(1), c.getMaxSkew(), where);
                    Map<String, String> selects = new HashMap<>(c.getLabelSelector().getMatchLabels());
                    assertTrue(c.getLabelSelector().getMatchExpressions() == null || c.getLabelSelector().getMatchExpressions().isEmpty(), where);
                    // matchLabelKeys add the pod's own values of those labels to the selector
                    if (c.getMatchLabelKeys() != null) {
                        c.getMatchLabelKeys().forEach(k -> selects.put(k, labels.get(k)));
                    }
                    assertTrue(labels.entrySet().containsAll(selects.entrySet()), where + ": the constraint counts its own pods");
                    assertEquals(service, selects.get("app.kubernetes.io/name"), where + ": spread per service, not over "
                            + "every pod of the platform: " + selects);
                    perNode = true;
                }
                assertTrue(perNode, where + ": no spread per node (kubernetes.io/hostname): " + constraints);
            }
        }
    }

    /**
     * No build pulls this project's images from Docker Hub's account w4r, which the project does not own: the
     * generated manifests name docker.io/w4r/<module> with imagePullPolicy IfNotPresent, so every overlay renames
     * them (images:) to a registry the deployer controls; the example's, registry.example.org, is a placeholder that
     * docs/operations.md tells to replace (a read-only review of the deployment files: the example overlay pulled
     * from Docker Hub).
     */
    @Test
    void noImageComesFromDockerHubsW4rAccount() throws IOException {
        java.util.regex.Pattern dockerHubW4r = java.util.regex.Pattern.compile(
                "(?:(?:docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io)/)?w4r/.*");
        for (String service : Repo.DEPLOYED) {
            assertTrue(dockerHubW4r.matcher(container(service).getImage()).matches(), "the base names the generated image: "
                    + container(service).getImage());
        }
        List<Path> overlays;
        try (var dirs = Files.list(Repo.DEPLOY.resolve("kubernetes/overlays"))) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(overlays.size() >= 2, overlays.toString());
        for (Path overlay : overlays) {
            Manifests manifests = Manifests.build(overlay);
            for (Deployment d : manifests.of(Deployment.class)) {
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                List<Container> all = new java.util.ArrayList<>(pod.getContainers());
                if (pod.getInitContainers() != null) {
                    all.addAll(pod.getInitContainers());
                }
                for (Container c : all) {
                    assertFalse(dockerHubW4r.matcher(c.getImage()).matches(), overlay.getFileName() + ": "
                            + d.getMetadata().getName() + " runs " + c.getImage() + ", from Docker Hub's account w4r, "
                            + "which this project does not own: rename it in the overlay's images:");
                }
            }
        }
        Manifests example = Manifests.overlay("example");
        for (String service : Repo.DEPLOYED) {
            String image = example.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            assertTrue(image.startsWith("registry.example.org/w4r/" + service + ":"), "example: " + image);
        }
        String guide = Repo.read(Repo.ROOT.resolve("docs/operations.md"));
        assertTrue(guide.contains("`registry.example.org` is a placeholder"), "docs/operations.md tells to replace the "
                + "example's registry");
    }

    /**
     * The example overlay's Secrets are placeholders anyone can read here: each generated value but the user names is
     * marked {@code change-me-...}, which docs/operations.md ("Secrets") tells to replace before the first apply
     * (kustomize cannot refuse them; petition- and tally-service refuse the keys' placeholders, PostgreSQL takes
     * the passwords). A real-looking value would be taken for one to keep.
     */
    @Test
    void theExampleOverlaysSecretsArePlaceholdersTheGuideSaysToReplace() {
        JsonNode generators = Manifests.kustomization(Repo.DEPLOY.resolve("kubernetes/overlays/example")).get("secretGenerator");
        int placeholders = 0;
        for (JsonNode generator : generators) {
            for (JsonNode literal : generator.path("literals")) {
                String text = literal.asText();
                String key = text.substring(0, text.indexOf('='));
                if (key.equals("username")) {
                    continue;
                }
                assertTrue(text.substring(text.indexOf('=') + 1).startsWith("change-me-"), "overlays/example: "
                        + generator.path("name").asText() + " " + key + " is not marked a placeholder (change-me-...)");
                placeholders++;
            }
        }
        assertTrue(placeholders >= 6, "the keys and the four database passwords: " + placeholders);
        String guide = Repo.read(Repo.ROOT.resolve("docs/operations.md"));
        String secrets = guide.substring(guide.indexOf("**Secrets.**"));
        secrets = secrets.substring(0, secrets.indexOf("\n\n"));
        assertTrue(secrets.contains("`change-me-…`") && secrets.contains("replace each"),
                "docs/operations.md (\"Secrets\") tells to replace the example's change-me values: " + secrets);
    }

    /**
     * Moving a service's consumer groups after a restore needs Kafka's tools, which the services' images lack, from a
     * pod the listener admits: docs/operations.md said "from a pod the Kafka listener admits", and the listener
     * admitted the four services' pods only (a read-only review of the deployment files). It admits, on every build, a
     * pod labelled as docs/operations.md's one-off tools pod, and of the platform's own pods still only the
     * services' (onlyTheServicesReachPostgresAndKafka); the guide's pod carries that label, connects as a service's
     * own user and runs kafka-consumer-groups.sh.
     */
    @Test
    void anOperatorsKafkaToolsPodIsAdmittedByItsLabel() {
        Map<String, String> ops = Map.of("app.kubernetes.io/name", "w4r-kafka-ops");
        for (String build : BUILDS) {
            Kafka kafka = build(build).named(Kafka.class, "w4r");
            for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
                assertTrue(listener.getNetworkPolicyPeers().stream().anyMatch(peer -> peer.getNamespaceSelector() == null
                                && peer.getPodSelector() != null && ops.equals(peer.getPodSelector().getMatchLabels())),
                        build + ": Kafka's listener " + listener.getName() + " admits the operator's tools pod " + ops);
            }
        }
        String guide = Repo.read(Repo.ROOT.resolve("docs/operations.md"));
        int at = guide.indexOf("### Kafka consumer groups");
        assertTrue(at >= 0, "docs/operations.md explains how to move a consumer group");
        String section = guide.substring(at, guide.indexOf("\n## ", at));
        for (String needed : List.of("labels: {app.kubernetes.io/name: w4r-kafka-ops}", "secretKeyRef: {name: $service, key: sasl.jaas.config}",
                "secretName: w4r-cluster-ca-cert", "kafka-consumer-groups.sh --bootstrap-server w4r-kafka-bootstrap:9093",
                "--reset-offsets --to-earliest")) {
            assertTrue(section.contains(needed), "docs/operations.md's tools pod: " + needed);
        }
        assertFalse(guide.contains("from a pod the Kafka listener admits)"), "the guide names no way to get such a pod");
    }

    @Test
    void nothingReachesAServiceUnlessAllowed() {
        List<NetworkPolicy> policies = BASE.of(NetworkPolicy.class);
        NetworkPolicy deny = BASE.named(NetworkPolicy.class, "w4r-default-deny-ingress");
        assertTrue(deny.getSpec().getIngress() == null || deny.getSpec().getIngress().isEmpty());
        for (String service : Repo.DEPLOYED) {
            Map<String, String> labels = BASE.named(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(labels.entrySet().containsAll(deny.getSpec().getPodSelector().getMatchLabels().entrySet()),
                    service + " is under the default deny");
            assertTrue(policies.stream().anyMatch(p -> p != deny && p.getSpec().getIngress() != null
                    && labels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet())),
                    service + " has an allow rule");
        }
    }

    /**
     * tally-service POSTs to addresses entity keys choose (webhooks): its way out reaches inside the cluster only DNS,
     * Kafka, PostgreSQL and a trace collector, each on its port, and outside only public addresses, so a receiver's
     * name re-pointed inside after the code checked it (DNS rebinding) meets the network's refusal too (a read-only
     * review, 8 December 2026: no pod had an egress rule).
     */
    @Test
    void tallyServiceReachesNoInternalAddressBeyondWhatItNeeds() {
        Map<String, String> tally = BASE.named(Deployment.class, "tally-service").getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicy> egress = BASE.of(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes() != null && p.getSpec().getPolicyTypes().contains("Egress"))
                .filter(p -> tally.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .toList();
        assertEquals(1, egress.size(), "one egress policy selects tally-service: " + egress);
        List<String> internal = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                "169.254.0.0/16", "127.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128", "::ffff:0:0/96");
        int blocks = 0;
        for (var rule : egress.get(0).getSpec().getEgress()) {
            assertTrue(rule.getTo() != null && !rule.getTo().isEmpty(), "an egress rule to anywhere: " + rule);
            for (var peer : rule.getTo()) {
                if (peer.getIpBlock() != null) {
                    blocks++;
                    List<String> except = peer.getIpBlock().getExcept() == null ? List.of() : peer.getIpBlock().getExcept();
                    String cidr = peer.getIpBlock().getCidr();
                    List<String> family = internal.stream().filter(r -> r.contains(":") == cidr.contains(":")).toList();
                    assertTrue(except.containsAll(family), cidr + " leaves out " + family + ", not only " + except);
                } else {
                    assertTrue(rule.getPorts() != null && !rule.getPorts().isEmpty(),
                            "a peer inside the cluster only on its ports: " + rule);
                }
            }
        }
        assertEquals(2, blocks, "the internet, IPv4 and IPv6");
    }

    /**
     * PostgreSQL and Kafka let in the four services and nothing else of the platform: the staff UI has neither a
     * database nor a Kafka user, but both admitted every pod labelled part-of w4r, the UI's included (a read-only
     * review, 6 December 2026).
     */
    @Test
    void onlyTheServicesReachPostgresAndKafka() {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            Map<String, String> postgres = Map.of("cnpg.io/cluster", "w4r-postgres");
            Kafka kafka = manifests.named(Kafka.class, "w4r");
            for (String deployment : Repo.DEPLOYED) {
                Map<String, String> pod = podLabels(manifests, deployment);
                boolean service = !deployment.equals(Repo.UI);
                assertEquals(service, admits(manifests, postgres, "postgresql", 5432, null, pod),
                        build + ": " + deployment + (service ? " reaches" : " must not reach") + " PostgreSQL");
                for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
                    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> peers = listener.getNetworkPolicyPeers();
                    assertTrue(peers != null && !peers.isEmpty(), build + ": Kafka listener " + listener.getName()
                            + " names its peers (none: every pod may connect)");
                    assertEquals(service, peers.stream().anyMatch(peer -> peer.getNamespaceSelector() == null
                                    && peer.getPodSelector().getMatchExpressions().isEmpty()
                                    && pod.entrySet().containsAll(peer.getPodSelector().getMatchLabels().entrySet())),
                            build + ": " + deployment + (service ? " reaches" : " must not reach") + " Kafka's listener "
                                    + listener.getName());
                }
            }
        }
    }

    /** Quarkus' management paths, on each service's API port: metrics (every entity's counts), health, the OpenAPI document. */
    static final List<String> MANAGEMENT_PATHS = List.of("/q", "/q/", "/q/metrics", "/q/health", "/q/health/live",
            "/q/health/ready", "/q/health/started", "/q/openapi.json", "/q/openapi/", "/q/swagger-ui", "/q/dev-ui");
    /** The contract entity developers generate their clients from (docs/entity-developers.md): public, exactly. */
    static final Map<String, String> PUBLIC_CONTRACTS = Map.of("petition-service", "/q/openapi", "tally-service", "/q/openapi");

    /**
     * /q/ is served on the API's port, so what keeps it inside the cluster is that nothing forwards it there: every
     * Service is reachable inside the cluster only (ClusterIP), and every Ingress routes Exact or Prefix paths (a
     * regular expression cannot be checked) none of which matches a management path, with no default backend. Yet
     * every public path still reaches its service: each prefix of the service's OpenAPI document (target/openapi,
     * from its build) on the host the staff UI calls it at, and the staff UI's page, files and config on the host of
     * the APIs' CORS origin. Prometheus still scrapes /q/metrics from its namespace (PodMonitor, NetworkPolicy), and
     * the kubelet probes /q/health from the node (everyServiceRunsHardenedProbedAndBounded). The base exposed nothing
     * and a deployer's Ingress on "/" exposed every /q/ page (the fourth round's review, 4 December 2026).
     */
    @Test
    void managementPathsStayInsideTheClusterAndPublicPathsGetThrough() throws Exception {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            for (Service service : manifests.of(Service.class)) {
                String type = service.getSpec().getType();
                assertTrue(type == null || type.equals("ClusterIP"), build + ": " + service.getMetadata().getName()
                        + " is a " + type + " Service: every path, /q/ included, outside the cluster");
                assertTrue(service.getSpec().getExternalIPs() == null || service.getSpec().getExternalIPs().isEmpty(),
                        build + ": " + service.getMetadata().getName() + " has external IPs");
            }
            List<Ingress> ingresses = manifests.of(Ingress.class);
            assertFalse(ingresses.isEmpty(), build + ": an Ingress routes the public paths (and only them)");
            for (Ingress ingress : ingresses) {
                String name = build + ": Ingress " + ingress.getMetadata().getName();
                assertTrue(ingress.getSpec().getDefaultBackend() == null, name + " has a default backend: every path");
                for (IngressRule rule : ingress.getSpec().getRules()) {
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        assertTrue(List.of("Exact", "Prefix").contains(path.getPathType()),
                                name + ": " + path.getPath() + " is " + path.getPathType() + ", which this test cannot read");
                        for (String management : MANAGEMENT_PATHS) {
                            assertFalse(ingressMatches(path, management), name + " forwards " + management + " to "
                                    + path.getBackend().getService().getName() + " (" + path.getPathType() + " " + path.getPath() + ")");
                        }
                    }
                }
            }

            Map<String, String> ui = envOf(manifests, Repo.UI);
            for (String service : Repo.SERVICES) {
                String host = java.net.URI.create(ui.get("W4R_UI_" + service.replace("-service", "").toUpperCase() + "_SERVICE_URL")).getHost();
                for (String prefix : openApiPrefixes(service)) {
                    String request = prefix + "/v1/anything";
                    assertEquals(service, routed(ingresses, host, request), build + ": " + host + request);
                }
                String contract = PUBLIC_CONTRACTS.get(service);
                assertEquals(contract == null ? null : service, routed(ingresses, host, "/q/openapi"),
                        build + ": " + host + "/q/openapi is public for the services entity websites call, only them");
            }
            Map<String, String> tally = envOf(manifests, "tally-service");
            String staffHost = java.net.URI.create(tally.get("W4R_TALLY_CORS_ORIGINS")).getHost();
            for (String request : staffUiPaths()) {
                assertEquals(Repo.UI, routed(ingresses, staffHost, request), build + ": " + staffHost + request);
            }
        }

        GenericKubernetesResource monitor = BASE.generic("PodMonitor").stream()
                .filter(m -> "w4r".equals(m.getMetadata().getName())).findFirst().orElseThrow();
        List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
        assertTrue(endpoints.stream().anyMatch(e -> "http".equals(e.get("port")) && "/q/metrics".equals(e.get("path"))),
                "Prometheus scrapes /q/metrics on the pods' http port: " + endpoints);
        assertTrue(BASE.of(NetworkPolicy.class).stream().anyMatch(p -> p.getSpec().getIngress() != null
                        && p.getSpec().getPodSelector().getMatchLabels().equals(Map.of("app.kubernetes.io/part-of", "w4r"))
                        && p.getSpec().getIngress().stream().anyMatch(rule -> rule.getFrom() != null && rule.getPorts() != null
                                && rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null
                                        && peer.getNamespaceSelector().getMatchLabels() != null && "monitoring".equals(
                                        peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")))
                                && rule.getPorts().stream().anyMatch(port -> "http".equals(port.getPort().getStrVal())))),
                "a NetworkPolicy admits Prometheus (namespace monitoring) to every w4r pod's http port");
    }

    /** Whether an Ingress path takes the request's path, as the Ingress API defines Exact and Prefix (by elements). */
    static boolean ingressMatches(HTTPIngressPath path, String request) {
        if (path.getPathType().equals("Exact")) {
            return path.getPath().equals(request);
        }
        List<String> prefix = pathElements(path.getPath());
        List<String> elements = pathElements(request);
        return elements.size() >= prefix.size() && elements.subList(0, prefix.size()).equals(prefix);
    }

    private static List<String> pathElements(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(e -> !e.isEmpty()).toList();
    }

    /** The Service a request to host and path reaches: an Exact path first, else the longest Prefix; null for none. */
    static String routed(List<Ingress> ingresses, String host, String request) {
        HTTPIngressPath best = null;
        for (Ingress ingress : ingresses) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (rule.getHost() != null && !rule.getHost().equals(host)) {
                    continue;
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    if (ingressMatches(path, request) && (best == null || path.getPathType().equals("Exact")
                            || !best.getPathType().equals("Exact") && path.getPath().length() > best.getPath().length())) {
                        best = path;
                    }
                }
            }
        }
        if (best == null) {
            return null;
        }
        IngressServiceBackend backend = best.getBackend().getService();
        assertTrue("http".equals(backend.getPort().getName()) || backend.getPort().getNumber() != null,
                "the backend names the Service's port: " + backend);
        return backend.getName();
    }

    private static Map<String, String> envOf(Manifests manifests, String deployment) {
        return manifests.named(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /** The first element of every path in the service's OpenAPI document, as its build stored it: "/api", "/public". */
    static Set<String> openApiPrefixes(String service) throws IOException {
        Path document = Repo.ROOT.resolve(service).resolve("target/openapi/openapi.yaml");
        assertTrue(Files.exists(document), document + " is missing: package the service first (`./mvnw -B -pl deploy -am "
                + "verify` does, this module depends on the services)");
        Set<String> prefixes = new TreeSet<>();
        Manifests.YAML.readTree(document.toFile()).get("paths").fieldNames()
                .forEachRemaining(p -> prefixes.add("/" + pathElements(p).get(0)));
        assertFalse(prefixes.isEmpty(), service);
        return prefixes;
    }

    /**
     * What the staff UI serves a browser: its page at "/", every file and folder of its static resources, its JAX-RS
     * paths (/config), and the absolute paths its page loads (Chart.js under /webjars).
     */
    static Set<String> staffUiPaths() throws IOException {
        Set<String> paths = new TreeSet<>(List.of("/"));
        Path resources = Repo.ROOT.resolve(Repo.UI).resolve("src/main/resources/META-INF/resources");
        try (var entries = Files.list(resources)) {
            entries.forEach(e -> paths.add("/" + e.getFileName() + (Files.isDirectory(e) ? "/any.file" : "")));
        }
        try (var sources = Files.walk(Repo.ROOT.resolve(Repo.UI).resolve("src/main/java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("@Path\\(\"(/[^\"]*)\"\\)").matcher(Repo.read(source));
                while (m.find()) {
                    paths.add(m.group(1));
                }
            }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:src|href)=\"(/[^\"/][^\"]*)\"")
                .matcher(Repo.read(resources.resolve("index.html")));
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertTrue(paths.contains("/config") && paths.stream().anyMatch(p -> p.startsWith("/webjars/")), paths.toString());
        return paths;
    }

    @Test
    void postgresHasARoleAndADatabasePerServiceAndNoSuperuser() {
        GenericKubernetesResource cluster = BASE.generic("Cluster").get(0);
        assertTrue(((Number) cluster.get("spec", "instances")).intValue() >= 3, "a primary and two replicas");
        List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
        Map<String, Map<String, Object>> byName = roles.stream().collect(Collectors.toMap(r -> (String) r.get("name"), r -> r));
        Map<String, String> owners = BASE.generic("Database").stream()
                .collect(Collectors.toMap(d -> (String) d.get("spec", "name"), d -> (String) d.get("spec", "owner")));
        for (String service : Repo.SERVICES) {
            String url = value(service, "QUARKUS_DATASOURCE_JDBC_URL");
            String database = database(url);
            String role = database; // ./platform's convention too: the role is named as its database
            assertEquals(role, owners.get(database), service + " owns its database");
            Map<String, Object> r = byName.get(role);
            assertNotNull(r, role);
            assertEquals(false, r.get("superuser"), role);
            assertEquals("w4r-db-" + service, ((Map<?, ?>) r.get("passwordSecret")).get("name"),
                    "the Secret the service reads its password from");
            assertEquals("w4r-db-" + service, env(service).get("QUARKUS_DATASOURCE_PASSWORD").getValueFrom()
                    .getSecretKeyRef().getName());
        }
    }

    /**
     * An action answered 2xx survives a failover only if its commit was on a standby before the answer: every commit
     * waits for at least one (ANY 1 of the standbys), and keeps waiting rather than go on alone
     * ({@code dataDurability: required}; the older minSyncReplicas/maxSyncReplicas fall back to asynchronous). One
     * standby may still be lost without stopping writes. Found missing in the read-only review of the deployment
     * files, 4 December 2026.
     */
    @Test
    void postgresCommitsOnAStandbyBeforeItAnswers() {
        GenericKubernetesResource cluster = BASE.generic("Cluster").get(0);
        int instances = ((Number) cluster.get("spec", "instances")).intValue();
        Map<String, Object> synchronous = cluster.get("spec", "postgresql", "synchronous");
        assertNotNull(synchronous, "spec.postgresql.synchronous: without it replication is asynchronous and a failover "
                + "can lose acknowledged commits");
        assertTrue(List.of("any", "first").contains(synchronous.get("method")), "method: " + synchronous);
        int number = ((Number) synchronous.get("number")).intValue();
        assertTrue(number >= 1, "every commit waits for at least one standby: " + synchronous);
        assertTrue(number <= instances - 2, "one standby can be lost without stopping writes: " + synchronous);
        assertEquals("required", synchronous.getOrDefault("dataDurability", "required"),
                "never falls back to asynchronous when the standbys are away");
        Map<String, Object> spec = cluster.get("spec");
        assertFalse(spec.containsKey("minSyncReplicas") || spec.containsKey("maxSyncReplicas"),
                "not the deprecated fields: exclusive with the stanza, and they fall back to asynchronous");
    }

    /** The builds a deployer applies, each checked: the base and the overlays, which may change what the base says. */
    static final List<String> BUILDS = List.of("base", "overlays/example", "overlays/production");

    static Manifests build(String build) {
        return build.equals("base") ? BASE : Manifests.build(Repo.DEPLOY.resolve("kubernetes").resolve(build));
    }

    /**
     * CloudNativePG's own pg_hba.conf lines, before the Cluster's {@code postgresql.pg_hba} (the operator's template,
     * pkg/postgres): the instance manager's socket, the replication user's and the pooler's certificates.
     */
    static final List<String> CNPG_HBA_FIRST = List.of("local all all peer map=local",
            "hostssl postgres streaming_replica all cert", "hostssl replication streaming_replica all cert",
            "hostssl all cnpg_pooler_pgbouncer all cert");
    /** ...and its last line, after the Cluster's: every role to every database with a password. */
    static final String CNPG_HBA_LAST = "host all all all scram-sha-256";

    /**
     * Each service's database admits its own role and no other, as compose's {@code revoke all on database ... from
     * public} makes it, and each service role no other database: the pg_hba.conf CloudNativePG writes, evaluated as
     * PostgreSQL does (the first line matching the connection's type, database and role decides; over TLS and
     * without). Other roles tried: the other services', the superuser, CloudNativePG's application owner and
     * replication user, and a role nobody created yet. On Kubernetes every role could connect to every database (the
     * operator's last line), found in the fourth round's review of the deployment files, 4 December 2026. And its own
     * role over TLS only: a service role's session without TLS is refused (the fifth round; the services' side is
     * {@link #everyServiceConnectsToPostgresOverVerifiedTls}).
     */
    @Test
    void eachServiceDatabaseAdmitsItsOwnRoleOnly() {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            GenericKubernetesResource cluster = manifests.generic("Cluster").get(0);
            List<String> own = cluster.get("spec", "postgresql", "pg_hba");
            List<String> hba = new java.util.ArrayList<>(CNPG_HBA_FIRST);
            if (own != null) {
                hba.addAll(own);
            }
            hba.add(CNPG_HBA_LAST);
            Map<String, String> owners = manifests.generic("Database").stream()
                    .collect(Collectors.toMap(d -> (String) d.get("spec", "name"), d -> (String) d.get("spec", "owner")));
            Set<String> serviceRoles = new TreeSet<>();
            Set<String> databases = new java.util.LinkedHashSet<>();
            for (String service : Repo.SERVICES) {
                String url = manifests.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers()
                        .get(0).getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_URL"))
                        .findFirst().orElseThrow().getValue();
                String database = database(url);
                assertNotNull(owners.get(database), build + ": a Database resource for " + database);
                serviceRoles.add(owners.get(database));
                databases.add(database);
            }
            databases.addAll(List.of("postgres", "app", "template1"));
            Set<String> roles = new java.util.LinkedHashSet<>(serviceRoles);
            roles.addAll(List.of("postgres", "app", "streaming_replica", "someone_else"));
            for (String database : databases) {
                for (String role : roles) {
                    String owner = owners.getOrDefault(database, "");
                    boolean itsOwner = role.equals(owner) && serviceRoles.contains(role);
                    for (boolean tls : List.of(true, false)) {
                        String method = hbaMethod(hba, database, role, tls);
                        if (itsOwner) {
                            // over TLS only: the services connect with sslmode=verify-full, and a client without TLS
                            // must not send the role's password and the signers in plain text (fifth round)
                            assertEquals(tls ? "scram-sha-256" : "reject", method, build + ": " + role
                                    + (tls ? " signs in to its own database " + database + " with its password over TLS"
                                    : " is refused by its own database " + database + " without TLS"));
                        } else if (serviceRoles.contains(role) || serviceRoles.contains(owner)) {
                            assertEquals("reject", method, build + ": " + role + " is refused by " + database
                                    + (tls ? " over TLS" : " without TLS") + ", as compose revokes CONNECT from PUBLIC; the Cluster's pg_hba: "
                                    + (own == null ? "none" : own));
                        }
                    }
                }
            }
        }
    }

    /**
     * The method of the first pg_hba.conf line matching a TCP connection, as PostgreSQL picks it; "reject" when none
     * does. Reads the forms written here (names, comma lists, {@code all}, {@code sameuser}); any other (a
     * {@code +group}, an {@code @file}, an address narrower than {@code all}) fails the test rather than be misread.
     */
    static String hbaMethod(List<String> lines, String database, String role, boolean tls) {
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            String type = fields[0];
            if (type.equals("local")) {
                continue;
            }
            assertTrue(List.of("host", "hostssl", "hostnossl").contains(type), "a pg_hba type this test reads: " + line);
            if (type.equals("hostssl") && !tls || type.equals("hostnossl") && tls) {
                continue;
            }
            assertTrue(fields.length >= 5 && fields[3].equals("all"), "a pg_hba line for any address: " + line);
            boolean databaseMatches = false;
            for (String d : fields[1].split(",")) {
                assertFalse(d.startsWith("@") || d.startsWith("\"") || d.startsWith("/"), "a database this test reads: " + line);
                databaseMatches |= d.equals("all") || d.equals(database) || d.equals("sameuser") && database.equals(role);
            }
            boolean roleMatches = false;
            for (String r : fields[2].split(",")) {
                assertFalse(r.startsWith("+") || r.startsWith("@") || r.startsWith("\"") || r.startsWith("/"),
                        "a role this test reads: " + line);
                roleMatches |= r.equals("all") || r.equals(role);
            }
            if (databaseMatches && roleMatches) {
                return fields[4];
            }
        }
        return "reject";
    }

    /** The database a JDBC URL names: the last element of its path, without the parameters. */
    static String database(String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A JDBC URL's parameters (after {@code ?}), as pgjdbc reads them: {@code name=value} joined by {@code &}. */
    static Map<String, String> jdbcParameters(String url) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        if (url.contains("?")) {
            for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
                int eq = pair.indexOf('=');
                parameters.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return parameters;
    }

    /** The CloudNativePG Cluster of a build: there is one, and the services' URLs name its services. */
    static GenericKubernetesResource postgresCluster(Manifests manifests, String build) {
        List<GenericKubernetesResource> clusters = manifests.generic("Cluster");
        assertEquals(1, clusters.size(), build + ": one CloudNativePG Cluster");
        return clusters.get(0);
    }

    /**
     * Every service's JDBC connection is TLS that verifies the server, on the base and every overlay: its URL asks
     * {@code sslmode=verify-full} (the certificate signed by the cluster's CA and naming the host; verify-ca would take
     * any certificate of that CA, for any host), the host is the Cluster's read-write Service (a name CloudNativePG
     * puts in its server certificate), and {@code sslrootcert} is a file mounted read-only from the Cluster's CA
     * Secret, its {@code ca.crt} only (the same Secret holds the CA's private key). The URL is the generated one with
     * parameters added, so the database stays what the service's settings say. Until the fifth round the connections
     * were plain TCP inside the cluster, passwords and signers' names included.
     */
    @Test
    void everyServiceConnectsToPostgresOverVerifiedTls() throws IOException {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            String cluster = postgresCluster(manifests, build).getMetadata().getName();
            for (String service : Repo.SERVICES) {
                String where = build + ": " + service;
                PodSpec pod = manifests.named(Deployment.class, service).getSpec().getTemplate().getSpec();
                Container c = pod.getContainers().get(0);
                String url = c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_URL"))
                        .findFirst().orElseThrow(() -> new AssertionError(where + " sets QUARKUS_DATASOURCE_JDBC_URL")).getValue();
                assertNotNull(url, where + ": the JDBC URL is a value, not a reference");
                Map<String, String> parameters = jdbcParameters(url);
                assertEquals("verify-full", parameters.get("sslmode"), where + " connects over TLS and verifies the "
                        + "server's certificate and name (sslmode=verify-full): " + url);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/?]+)(?::\\d+)?/[^?]+(\\?.*)?")
                        .matcher(url);
                assertTrue(m.matches(), where + ": a JDBC URL with one host: " + url);
                String host = m.group(1);
                assertTrue(host.equals(cluster + "-rw") || host.startsWith(cluster + "-rw."), where + " connects to "
                        + cluster + "-rw, the primary's Service, a name the server certificate holds: " + host);
                // the generated URL (services/<service>/kubernetes.yml), which the patch only adds parameters to
                String generated = generatedEnv(service, "QUARKUS_DATASOURCE_JDBC_URL");
                assertEquals(generated, url.substring(0, url.indexOf('?')), where + ": the database, host and port of "
                        + "the service's settings, with TLS added (services/postgres-tls-patch.yaml)");

                String rootCert = parameters.get("sslrootcert");
                assertTrue(rootCert != null && rootCert.startsWith("/"), where + ": sslrootcert names the CA file: " + url);
                Path file = Path.of(rootCert);
                io.fabric8.kubernetes.api.model.VolumeMount mount = c.getVolumeMounts().stream()
                        .filter(v -> v.getSubPath() == null ? Path.of(v.getMountPath()).equals(file.getParent())
                                : Path.of(v.getMountPath()).equals(file))
                        .findFirst().orElseThrow(() -> new AssertionError(where + ": nothing is mounted at " + rootCert));
                assertEquals(Boolean.TRUE, mount.getReadOnly(), where + ": the CA is mounted read-only");
                io.fabric8.kubernetes.api.model.Volume volume = pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
                assertNotNull(volume.getSecret(), where + ": " + rootCert + " comes from a Secret");
                assertEquals(cluster + "-ca", volume.getSecret().getSecretName(),
                        where + ": the CA CloudNativePG signs the server's certificate with");
                List<io.fabric8.kubernetes.api.model.KeyToPath> items = volume.getSecret().getItems();
                assertTrue(items != null && items.stream().allMatch(i -> i.getKey().equals("ca.crt")),
                        where + ": only ca.crt of " + cluster + "-ca is mounted, never the CA's key (ca.key): " + items);
                String name = mount.getSubPath() == null ? file.getFileName().toString() : mount.getSubPath();
                assertTrue(items.stream().anyMatch(i -> i.getPath().equals(name)), where + ": ca.crt is " + rootCert);
            }
        }
    }

    /** A variable's value in a service's generated manifest, as the build wrote it (before the base's patches). */
    private static String generatedEnv(String service, String variable) throws IOException {
        for (JsonNode document : documents(Repo.DEPLOY.resolve("kubernetes/base/services").resolve(service).resolve("kubernetes.yml"))) {
            if (document.path("kind").asText().equals("Deployment")) {
                for (JsonNode env : document.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
                    if (env.path("name").asText().equals(variable)) {
                        return env.path("value").asText();
                    }
                }
            }
        }
        throw new AssertionError(service + "'s generated manifest sets no " + variable);
    }

    /** CloudNativePG's Barman Cloud plugin (CNPG-I), by the name a Cluster's spec.plugins and a backup give it. */
    static final String BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";

    /**
     * The Cluster's Barman Cloud plugin entry, on a build: exactly one, enabled, the WAL archiver (the primary archives
     * every segment through it; without one, nothing does), naming its ObjectStore in {@code barmanObjectName}.
     */
    static Map<String, Object> barmanCloudPlugin(GenericKubernetesResource cluster, String build) {
        List<Map<String, Object>> plugins = cluster.get("spec", "plugins");
        List<Map<String, Object>> barman = plugins == null ? List.of() : plugins.stream()
                .filter(p -> BARMAN_CLOUD_PLUGIN.equals(p.get("name"))).toList();
        assertEquals(1, barman.size(), build + ": the Cluster has one spec.plugins entry " + BARMAN_CLOUD_PLUGIN
                + " (nothing archives its WAL without it): " + plugins);
        Map<String, Object> plugin = barman.get(0);
        assertFalse(Boolean.FALSE.equals(plugin.get("enabled")), build + ": the Barman Cloud plugin is enabled");
        assertEquals(Boolean.TRUE, plugin.get("isWALArchiver"), build + ": the plugin archives the WAL (isWALArchiver)");
        return plugin;
    }

    /**
     * The ObjectStore the Cluster's plugin entry names, found in the same build and namespace (the plugin reads it
     * from the Cluster's namespace): a name that misses, or an overlay that renames one side, leaves the Cluster
     * archiving nowhere.
     */
    static GenericKubernetesResource objectStore(Manifests manifests, String build) {
        GenericKubernetesResource cluster = postgresCluster(manifests, build);
        @SuppressWarnings("unchecked")
        Map<String, String> parameters = (Map<String, String>) barmanCloudPlugin(cluster, build).get("parameters");
        String name = parameters == null ? null : parameters.get("barmanObjectName");
        assertNotNull(name, build + ": the plugin entry names its ObjectStore (parameters.barmanObjectName)");
        List<GenericKubernetesResource> stores = manifests.generic("ObjectStore").stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .filter(o -> Objects.equals(o.getMetadata().getNamespace(), cluster.getMetadata().getNamespace()))
                .toList();
        assertEquals(1, stores.size(), build + ": the ObjectStore " + name + " the Cluster's plugin entry names is in "
                + "the build, in the Cluster's namespace");
        GenericKubernetesResource store = stores.get(0);
        assertEquals("barmancloud.cnpg.io/v1", store.getApiVersion(), build + ": the Barman Cloud plugin's ObjectStore");
        return store;
    }

    /**
     * PostgreSQL is backed up continuously on the base and every overlay, by CloudNativePG's Barman Cloud plugin: the
     * Cluster no longer has the built-in {@code spec.backup.barmanObjectStore} (deprecated since CloudNativePG 1.26
     * and announced for removal; CloudNativePG refuses a plugin WAL archiver beside it) nor its retentionPolicy, and
     * has the plugin as its WAL archiver, naming an ObjectStore of the same build (the bucket; no serverName there,
     * which the plugin's CRD refuses: the plugin entry's parameter names the archive). The ObjectStore keeps a recovery
     * window of 30 days: any moment of the last month can be restored, and no longer than that (plus a day to the next
     * base backup) does a signer's erased name stay in the store (docs/operations.md), so a month ("1m", up to 31
     * days) is refused too. WAL is compressed (one of the CRD's choices). The image is one of CloudNativePG's
     * {@code minimal} or {@code standard} images, which the plugin's sidecar works with (it brings Barman Cloud), on a
     * Debian that is not deprecated: not the {@code system} images (deprecated, going with the built-in Barman Cloud)
     * nor their bare {@code MM.mm} / {@code MM} tags (deprecated rolling tags on Debian bullseye), as
     * cloudnative-pg/postgres-containers' README says. Nothing backed PostgreSQL up on Kubernetes until the fifth
     * round: a lost volume or a bad migration lost a campaign.
     */
    @Test
    void postgresArchivesItsWalAndKeepsThirtyDaysOfBackups() {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            GenericKubernetesResource cluster = postgresCluster(manifests, build);
            Map<String, Object> backup = cluster.get("spec", "backup");
            assertTrue(backup == null || !backup.containsKey("barmanObjectStore") && !backup.containsKey("retentionPolicy"),
                    build + ": the Cluster has no built-in Barman Cloud (spec.backup.barmanObjectStore, "
                            + "retentionPolicy): the plugin archives and keeps the window: " + backup);
            GenericKubernetesResource objectStore = objectStore(manifests, build);
            Map<String, Object> store = objectStore.get("spec", "configuration");
            assertNotNull(store, build + ": the ObjectStore's spec.configuration");
            assertTrue(String.valueOf(store.get("destinationPath")).matches("(s3|gs)://[^/\\s]+.*|https://[^/\\s]+/.+"),
                    build + ": an object store's bucket or container: " + store.get("destinationPath"));
            assertFalse(store.containsKey("serverName"), build + ": no serverName in the ObjectStore (its CRD refuses it); "
                    + "the Cluster's plugin parameter names the archive");
            Object retention = objectStore.get("spec", "retentionPolicy");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]*)([dwm])").matcher(String.valueOf(retention));
            assertTrue(retention != null && m.matches(), build + ": the ObjectStore's spec.retentionPolicy, a recovery "
                    + "window (30d): " + retention);
            int n = Integer.parseInt(m.group(1));
            int fewest = n * switch (m.group(2)) {
                case "w" -> 7;
                case "m" -> 28;
                default -> 1;
            };
            int most = n * switch (m.group(2)) {
                case "w" -> 7;
                case "m" -> 31;
                default -> 1;
            };
            assertTrue(fewest >= 30, build + ": any moment of the last 30 days can be restored (docs/operations.md): " + retention);
            assertTrue(most <= 30, build + ": erased names leave the store after 30 days and a day (docs/operations.md, "
                    + "\"Personal data: retention\"): " + retention);
            Object walCompression = objectStore.get("spec", "configuration", "wal", "compression");
            assertTrue(Set.of("bzip2", "gzip", "lz4", "snappy", "xz", "zstd").contains(walCompression),
                    build + ": WAL is compressed: " + walCompression);

            String image = cluster.<String>get("spec", "imageName");
            String reference = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            String tag = reference.substring(reference.lastIndexOf(':') + 1);
            java.util.regex.Matcher t = java.util.regex.Pattern
                    .compile("\\d+(?:\\.\\d+)?(?:-\\d{12})?-(minimal|standard|system)-([a-z]+)").matcher(tag);
            assertTrue(t.matches(), build + ": " + image + " is a CloudNativePG image tagged MM.mm-TYPE-OS (the bare "
                    + "MM.mm and MM tags are deprecated)");
            assertFalse(t.group(1).equals("system"), build + ": " + image + ": the system images are deprecated");
            assertFalse(t.group(2).equals("bullseye"), build + ": " + image + ": Debian bullseye images are deprecated");
        }
    }

    /**
     * A base backup of the Cluster every day, on the base and every overlay, by the Barman Cloud plugin (method
     * plugin, pluginConfiguration naming it) to the ObjectStore its WAL goes to (the plugin is the Cluster's WAL
     * archiver), not a volume snapshot that stays with the cluster's storage, and not the built-in
     * barmanObjectStore method (CloudNativePG's default when none is given); the first as soon as the Cluster exists:
     * WAL alone restores nothing, a point-in-time recovery replays it from a base backup. CloudNativePG's schedule has
     * six fields, seconds first; a daily one has any day of the month, month and day of the week.
     */
    @Test
    void aScheduledBackupTakesABaseBackupOfTheClusterEveryDay() {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            GenericKubernetesResource postgres = postgresCluster(manifests, build);
            String cluster = postgres.getMetadata().getName();
            barmanCloudPlugin(postgres, build);
            List<GenericKubernetesResource> scheduled = manifests.generic("ScheduledBackup").stream()
                    .filter(b -> cluster.equals(b.get("spec", "cluster", "name"))).toList();
            assertFalse(scheduled.isEmpty(), build + ": no ScheduledBackup of the Cluster " + cluster);
            boolean daily = false;
            for (GenericKubernetesResource b : scheduled) {
                String name = build + ": ScheduledBackup " + b.getMetadata().getName();
                Map<String, Object> spec = b.get("spec");
                if (Boolean.TRUE.equals(spec.get("suspend"))) {
                    continue;
                }
                assertEquals("plugin", spec.getOrDefault("method", "barmanObjectStore"),
                        name + " is taken by a plugin (method: plugin), not the built-in Barman Cloud");
                assertEquals(BARMAN_CLOUD_PLUGIN, b.get("spec", "pluginConfiguration", "name"),
                        name + " is taken by the Barman Cloud plugin, to the object store the WAL goes to");
                String[] fields = String.valueOf(spec.get("schedule")).trim().split("\\s+");
                assertEquals(6, fields.length, name + ": CloudNativePG's schedule has six fields, seconds first: "
                        + spec.get("schedule"));
                assertEquals(Boolean.TRUE, spec.get("immediate"), name + " takes its first base backup when created");
                daily |= fields[3].equals("*") && fields[4].equals("*") && fields[5].matches("\\*|\\?");
            }
            assertTrue(daily, build + ": a base backup every day");
        }
    }

    /**
     * The object store's key comes from a Secret the deployer creates, on the base and every overlay: the ObjectStore's
     * credentials are references ({name, key}) or an inherited identity (an IAM role, Azure AD, GKE), never a value;
     * no build generates that Secret (the example overlay's placeholders would reach no store); and no file of
     * deploy/kubernetes holds anything shaped like an access key.
     */
    @Test
    void theBackupsKeyComesFromASecretTheDeployerCreates() throws IOException {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            Map<String, Object> store = objectStore(manifests, build).get("spec", "configuration");
            assertNotNull(store, build + ": the ObjectStore's spec.configuration names its credentials");
            Set<String> secrets = new TreeSet<>();
            int credentials = 0;
            for (String kind : List.of("s3Credentials", "azureCredentials", "googleCredentials")) {
                if (!(store.get(kind) instanceof Map<?, ?> given)) {
                    continue;
                }
                credentials++;
                given.forEach((field, value) -> {
                    if (value instanceof Map<?, ?> ref) {
                        assertEquals(Set.of("name", "key"), ref.keySet(), build + ": " + kind + "." + field + " names a Secret and its key");
                        secrets.add(String.valueOf(ref.get("name")));
                    } else {
                        assertTrue(value instanceof Boolean, build + ": " + kind + "." + field + " is a value in the manifest, "
                                + "not a reference to a Secret");
                    }
                });
            }
            assertEquals(1, credentials, build + ": the object store's credentials: " + store.keySet());
            for (String secret : secrets) {
                assertTrue(manifests.of(Secret.class).stream().noneMatch(s -> s.getMetadata().getName().equals(secret)),
                        build + ": the Secret " + secret + " is created by the deployer, never from files in git");
            }
        }
        java.util.regex.Pattern key = java.util.regex.Pattern.compile(
                "(AKIA|ASIA)[0-9A-Z]{16}|(?i)(ACCESS_SECRET_KEY|secretAccessKey|aws_secret_access_key)\\s*[=:]\\s*[\"']?[A-Za-z0-9/+]{30,}");
        try (var files = Files.walk(Repo.DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(key.matcher(Repo.read(file)).find(), Repo.ROOT.relativize(file) + " holds an access key");
            }
        }
    }

    /** A backend's own memory once it has run the services' statements: catalog and plan caches, prepared statements. */
    static final long BACKEND_MEMORY = 2L << 20;
    /** The instance manager and its metrics exporter, the WAL senders, writer and checkpointer. */
    static final long OTHER_PROCESSES_MEMORY = 512L << 20;

    /**
     * PostgreSQL's memory at the worst moment fits the Cluster's memory limit, or the kernel kills a backend and
     * PostgreSQL ends every session to recover, at the peak. The rule (written out in postgres/cluster.yaml, with why):
     * {@code limit >= shared_buffers + max_connections x (BACKEND_MEMORY + work_mem) + autovacuum_max_workers x
     * maintenance_work_mem (autovacuum_work_mem when set) + OTHER_PROCESSES_MEMORY}, each setting from the Cluster's
     * parameters or PostgreSQL's default. And the request is the limit, so that the primary is not the first pod
     * evicted when its node runs short. The limit was 2Gi for max_connections 800 (the fourth round, 4 December 2026).
     */
    @Test
    void postgresMemoryCoversEveryConnectionAtOnce() {
        for (String build : BUILDS) {
            GenericKubernetesResource cluster = build(build).generic("Cluster").get(0);
            Map<String, Object> parameters = cluster.get("spec", "postgresql", "parameters");
            long maxConnections = Long.parseLong(String.valueOf(parameter(parameters, "max_connections", "100")).trim());
            long sharedBuffers = postgresBytes(parameter(parameters, "shared_buffers", "128MB"), 8192);
            long workMem = postgresBytes(parameter(parameters, "work_mem", "4MB"), 1024);
            long maintenance = postgresBytes(parameter(parameters, "maintenance_work_mem", "64MB"), 1024);
            String autovacuumWorkMem = String.valueOf(parameter(parameters, "autovacuum_work_mem", "-1")).trim();
            long perWorker = autovacuumWorkMem.equals("-1") ? maintenance : postgresBytes(autovacuumWorkMem, 1024);
            long workers = Long.parseLong(String.valueOf(parameter(parameters, "autovacuum_max_workers", "3")).trim());
            long needed = sharedBuffers + maxConnections * (BACKEND_MEMORY + workMem) + workers * perWorker
                    + OTHER_PROCESSES_MEMORY;
            Map<String, Object> limits = cluster.get("spec", "resources", "limits");
            assertTrue(limits != null && limits.get("memory") != null, build + ": PostgreSQL has a memory limit");
            long limit = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(String.valueOf(limits.get("memory")))).longValue();
            String sum = String.format("shared_buffers %d MiB + %d connections x (%d MiB + work_mem %d MiB) + %d autovacuum "
                            + "workers x %d MiB + %d MiB = %d MiB", sharedBuffers >> 20, maxConnections, BACKEND_MEMORY >> 20,
                    workMem >> 20, workers, perWorker >> 20, OTHER_PROCESSES_MEMORY >> 20, needed >> 20);
            assertTrue(needed <= limit, build + ": PostgreSQL's memory limit, " + (limit >> 20) + " MiB, is below " + sum);
            if (!build.equals("overlays/example")) {
                Map<String, Object> requests = cluster.get("spec", "resources", "requests");
                assertEquals(String.valueOf(limits.get("memory")), String.valueOf(requests == null ? null : requests.get("memory")),
                        build + ": PostgreSQL requests the memory it may use, so its node keeps it");
            }
        }
    }

    /** A PostgreSQL memory setting in bytes: a number with kB, MB, GB or TB (1024 each), else in {@code unit} bytes. */
    static long postgresBytes(Object setting, long unit) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(B|kB|MB|GB|TB)?").matcher(String.valueOf(setting).trim());
        assertTrue(m.matches(), "a PostgreSQL memory setting: " + setting);
        long n = Long.parseLong(m.group(1));
        return m.group(2) == null ? n * unit : switch (m.group(2)) {
            case "B" -> n;
            case "kB" -> n << 10;
            case "MB" -> n << 20;
            case "GB" -> n << 30;
            default -> n << 40;
        };
    }

    /**
     * Connections kept for others than the services: PostgreSQL's superuser_reserved_connections and
     * reserved_connections (read from the Cluster), and 17 for CloudNativePG's instance manager and metrics exporter
     * and an operator's psql or pg_dump.
     */
    static final int OTHER_SESSIONS = 17;

    /**
     * PostgreSQL must accept every pool at once at full scale, or a surge's scale-out meets "too many clients": each
     * service's most pods (its HorizontalPodAutoscaler's maxReplicas, or its replicas) plus a rolling update's surge,
     * times its pool's max-size (its Deployment's QUARKUS_DATASOURCE_JDBC_MAX_SIZE, the platform settings
     * ConfigMap's, its settings', Quarkus' default), plus its sessions outside the pool. Checked on the base and on
     * each overlay, which may change replicas. max_connections was PostgreSQL's default, 100, in the read-only
     * review of the deployment files, 4 December 2026.
     */
    @Test
    void postgresAcceptsEveryPoolAtFullScale() {
        for (String build : List.of("base", "overlays/example", "overlays/production")) {
            Manifests manifests = build.equals("base") ? BASE : Manifests.build(Repo.DEPLOY.resolve("kubernetes").resolve(build));
            GenericKubernetesResource cluster = manifests.generic("Cluster").get(0);
            Map<String, Object> parameters = cluster.get("spec", "postgresql", "parameters");
            int maxConnections = Integer.parseInt(String.valueOf(parameter(parameters, "max_connections", "100")).trim());
            int reserved = Integer.parseInt(String.valueOf(parameter(parameters, "superuser_reserved_connections", "3")))
                    + Integer.parseInt(String.valueOf(parameter(parameters, "reserved_connections", "0")));
            Map<String, String> settings = manifests.of(ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(PLATFORM_SETTINGS) && c.getData() != null)
                    .findFirst().map(ConfigMap::getData).orElse(Map.of());
            int needed = reserved + OTHER_SESSIONS;
            StringBuilder sum = new StringBuilder();
            for (String service : Repo.SERVICES) {
                Deployment deployment = manifests.named(Deployment.class, service);
                int pods = manifests.of(HorizontalPodAutoscaler.class).stream()
                        .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                                && h.getSpec().getScaleTargetRef().getName().equals(service))
                        .map(h -> h.getSpec().getMaxReplicas()).findFirst()
                        .orElseGet(() -> deployment.getSpec().getReplicas());
                int surge = surge(deployment, pods);
                String fromEnv = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_MAX_SIZE") && e.getValue() != null)
                        .map(EnvVar::getValue).findFirst().orElse(settings.get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE"));
                int pool = fromEnv != null ? Integer.parseInt(fromEnv.trim()) : Repo.poolMaxSize(service);
                int direct = Repo.DIRECT_CONNECTIONS.getOrDefault(service, 0);
                needed += (pods + surge) * (pool + direct);
                sum.append(String.format("%n  %s: (%d + %d surge) pods x (%d pool + %d direct) = %d", service, pods, surge,
                        pool, direct, (pods + surge) * (pool + direct)));
            }
            sum.append(String.format("%n  reserved %d + others %d", reserved, OTHER_SESSIONS));
            assertTrue(needed <= maxConnections, build + ": PostgreSQL's max_connections " + maxConnections
                    + " is below the " + needed + " connections the services may open at full scale:" + sum);
        }
    }

    private static Object parameter(Map<String, Object> parameters, String name, String postgresDefault) {
        return parameters == null ? postgresDefault : parameters.getOrDefault(name, postgresDefault);
    }

    /** Pods a rolling update adds over {@code pods}: maxSurge, Kubernetes' default 25 %, a percentage rounded up. */
    private static int surge(Deployment deployment, int pods) {
        DeploymentStrategy strategy = deployment.getSpec().getStrategy();
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            return 0;
        }
        IntOrString maxSurge = strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getMaxSurge() == null
                ? new IntOrString("25%") : strategy.getRollingUpdate().getMaxSurge();
        if (maxSurge.getIntVal() != null) {
            return maxSurge.getIntVal();
        }
        int percent = Integer.parseInt(maxSurge.getStrVal().replace("%", "").trim());
        return (pods * percent + 99) / 100;
    }

    @Test
    void theAlertsAreTheMonitoringRulesAndNameSeriesTheServicesExport() throws Exception {
        JsonNode alerts = Manifests.yaml(Repo.DEPLOY.resolve("monitoring/alerts.yml"));
        GenericKubernetesResource rule = BASE.generic("PrometheusRule").get(0);
        JsonNode inCluster = Manifests.YAML.valueToTree(rule.getAdditionalProperties().get("spec"));
        assertEquals(alerts, inCluster, "deploy/monitoring/alerts.yml and the PrometheusRule are the same rules");
        MetricNames.assertExported(Repo.read(Repo.DEPLOY.resolve("monitoring/alerts.yml")), "alerts.yml");
        MetricNames.assertExported(Repo.read(Repo.DEPLOY.resolve("monitoring/grafana/w4r-platform.json")), "dashboard");
    }

    /**
     * The series the PostgreSQL alerts may read, each where it is exported on CloudNativePG's instance exporter (port
     * 9187), checked by name since no exporter runs here:
     * <ul>
     * <li>{@code cnpg_pg_stat_archiver_*}: CloudNativePG's default queries (config/manager/default-monitoring.yaml, query
     * pg_stat_archiver, its nine columns, the same from 1.27.0 on), PostgreSQL's own view of its archiver, whoever
     * archives (the built-in Barman Cloud or the plugin);</li>
     * <li>{@code cnpg_collector_up} and {@code cnpg_collector_pg_wal_archive_status}: the instance manager's collector
     * (pkg/management/postgres/webserver/metricserver/pg_collector.go);</li>
     * <li>{@code barman_cloud_cloudnative_pg_io_*}: the Barman Cloud plugin's three (plugin-barman-cloud
     * internal/cnpgi/instance/metrics.go, and its documentation's "Observability"), served by the instance's exporter
     * from CloudNativePG 1.27.0 on (the CNPG-I metrics capability, cloudnative-pg commit 978cd66, #8033).</li>
     * </ul>
     */
    static final Set<String> POSTGRES_SERIES = Set.of(
            "cnpg_pg_stat_archiver_archived_count", "cnpg_pg_stat_archiver_failed_count",
            "cnpg_pg_stat_archiver_seconds_since_last_archival", "cnpg_pg_stat_archiver_seconds_since_last_failure",
            "cnpg_pg_stat_archiver_last_archived_time", "cnpg_pg_stat_archiver_last_failed_time",
            "cnpg_pg_stat_archiver_last_archived_wal_start_lsn", "cnpg_pg_stat_archiver_last_failed_wal_start_lsn",
            "cnpg_pg_stat_archiver_stats_reset_time",
            "cnpg_collector_up", "cnpg_collector_pg_wal_archive_status",
            "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp",
            "barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp",
            "barman_cloud_cloudnative_pg_io_first_recoverability_point");

    /**
     * CloudNativePG's own backup series, deprecated since 1.26.1 and no longer updated when a plugin takes the backups
     * (its 1.26.1 release notes; the plugin's migration guide, "Verify your metrics", maps each to its
     * barman_cloud_cloudnative_pg_io_ successor): an alert on them would never fire, or fire for ever.
     */
    static final Set<String> STALE_WITH_THE_PLUGIN = Set.of("cnpg_collector_last_available_backup_timestamp",
            "cnpg_collector_last_failed_backup_timestamp", "cnpg_collector_first_recoverability_point");

    /**
     * A failing WAL archive or base backup pages someone, on the base and every overlay. Prometheus scrapes
     * CloudNativePG's exporter on every instance of the Cluster (a PodMonitor on its {@code cnpg.io/cluster} pods,
     * port {@code metrics}, or the Cluster's own {@code spec.monitoring.enablePodMonitor}), the NetworkPolicies that
     * select those pods admit the namespace monitoring to that port (9187), and deploy/monitoring/alerts.yml (the
     * PrometheusRule: the test above) has a rule on the archiver, one that fires when the newest base backup the
     * Barman Cloud plugin reports is more than 26 hours old, and one when its last backup failed, each saying where to
     * look (docs/operations.md). Every series a PostgreSQL rule reads is one of {@link #POSTGRES_SERIES}, none of
     * {@link #STALE_WITH_THE_PLUGIN} (the rules read those until the move to the plugin, and would have gone blind).
     * A label an alert groups by is one the scrape gives (namespace, pod) or the PodMonitor's relabeling writes.
     * Until the fifth round nothing scraped PostgreSQL and a broken archive went unnoticed until its volume filled.
     */
    @Test
    void postgresBackupsAreScrapedAndAlerted() throws Exception {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            GenericKubernetesResource cluster = postgresCluster(manifests, build);
            Map<String, String> pod = Map.of("cnpg.io/cluster", cluster.getMetadata().getName());
            List<GenericKubernetesResource> monitors = manifests.generic("PodMonitor").stream()
                    .filter(m -> pod.equals(m.get("spec", "selector", "matchLabels"))).toList();
            Set<String> relabelled = new HashSet<>(Set.of("namespace", "pod"));
            boolean scraped = Boolean.TRUE.equals(cluster.get("spec", "monitoring", "enablePodMonitor"));
            for (GenericKubernetesResource monitor : monitors) {
                List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
                for (Map<String, Object> endpoint : endpoints) {
                    if ("metrics".equals(endpoint.get("port"))) {
                        scraped = true;
                        Object relabelings = endpoint.get("relabelings");
                        if (relabelings instanceof List<?> list) {
                            list.forEach(r -> relabelled.add(String.valueOf(((Map<?, ?>) r).get("targetLabel"))));
                        }
                    }
                }
            }
            assertTrue(scraped, build + ": Prometheus scrapes CloudNativePG's exporter (port metrics) of " + pod);
            List<NetworkPolicy> selecting = manifests.of(NetworkPolicy.class).stream()
                    .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().contains("Ingress"))
                    .filter(p -> pod.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                    .toList();
            assertTrue(selecting.isEmpty() || selecting.stream().anyMatch(p -> p.getSpec().getIngress() != null
                            && p.getSpec().getIngress().stream().anyMatch(rule -> rule.getFrom() != null
                                    && rule.getFrom().stream().anyMatch(peer -> peer.getPodSelector() == null
                                            && peer.getNamespaceSelector() != null
                                            && peer.getNamespaceSelector().getMatchLabels() != null
                                            && "monitoring".equals(peer.getNamespaceSelector().getMatchLabels()
                                                    .get("kubernetes.io/metadata.name")))
                                    && (rule.getPorts() == null || rule.getPorts().stream().anyMatch(port ->
                                            port.getPort() == null || Integer.valueOf(9187).equals(port.getPort().getIntVal())
                                                    || "metrics".equals(port.getPort().getStrVal()))))),
                    build + ": a NetworkPolicy admits Prometheus (namespace monitoring) to port 9187 of " + pod);

            List<JsonNode> rules = new java.util.ArrayList<>();
            Manifests.yaml(Repo.DEPLOY.resolve("monitoring/alerts.yml")).get("groups")
                    .forEach(g -> g.get("rules").forEach(rules::add));
            List<JsonNode> archive = rules.stream()
                    .filter(r -> r.path("expr").asText().contains("cnpg_pg_stat_archiver_")).toList();
            assertFalse(archive.isEmpty(), "an alert on CloudNativePG's WAL archiver (cnpg_pg_stat_archiver_*)");
            assertTrue(rules.stream().anyMatch(r -> r.path("expr").asText().replace(" ", "")
                            .matches("up\\{job=~\".*w4r-postgres\"}==0")),
                    "an alert when the exporter is not scraped: the cnpg_ series vanish and no rule on them fires");
            java.util.regex.Pattern age = java.util.regex.Pattern.compile(
                    "time\\(\\)\\s*-[^>]*barman_cloud_cloudnative_pg_io_last_available_backup_timestamp[^>]*>\\s*(\\d+)(?:\\s*\\*\\s*(\\d+))?",
                    java.util.regex.Pattern.DOTALL);
            List<JsonNode> backup = rules.stream().filter(r -> {
                java.util.regex.Matcher m = age.matcher(r.path("expr").asText());
                return m.find() && Long.parseLong(m.group(1)) * (m.group(2) == null ? 1 : Long.parseLong(m.group(2)))
                        <= 26 * 3600;
            }).toList();
            assertFalse(backup.isEmpty(), "an alert when the newest base backup is over 26 hours old "
                    + "(time() - barman_cloud_cloudnative_pg_io_last_available_backup_timestamp > 26 * 3600)");
            assertTrue(rules.stream().map(r -> r.path("expr").asText()).anyMatch(e -> e.replaceAll("\\s+", " ").matches(
                            ".*barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp\\)? >.*"
                                    + "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp.*")),
                    "an alert when the plugin's last failed backup is newer than its last successful one");
            for (JsonNode rule : rules) {
                String expr = rule.path("expr").asText();
                if (!expr.contains("cnpg_") && !expr.contains("barman_cloud_")) {
                    continue;
                }
                String name = rule.path("alert").asText();
                // the series it reads: label names (inside by/on/without/ignoring (...) and {...}) left out
                String series = expr.replaceAll("\\b(?:by|on|without|ignoring)\\s*\\([^)]*\\)", " ")
                        .replaceAll("\\{[^}]*}", " ");
                java.util.regex.Matcher named = java.util.regex.Pattern.compile("\\b(?:cnpg|barman_cloud)_[a-z0-9_]+")
                        .matcher(series);
                while (named.find()) {
                    assertFalse(STALE_WITH_THE_PLUGIN.contains(named.group()), name + " reads " + named.group()
                            + ", which CloudNativePG no longer updates when the Barman Cloud plugin takes the backups");
                    assertTrue(POSTGRES_SERIES.contains(named.group()), name + " reads " + named.group()
                            + ", which neither CloudNativePG's exporter nor the Barman Cloud plugin exports");
                }
                assertTrue(rule.path("annotations").path("description").asText().contains("docs/operations.md"),
                        name + " says what to do (docs/operations.md)");
                java.util.regex.Matcher by = java.util.regex.Pattern.compile("\\b(?:by|on)\\s*\\(([^)]*)\\)").matcher(expr);
                while (by.find()) {
                    for (String label : by.group(1).split(",")) {
                        assertTrue(relabelled.contains(label.trim()), build + ": " + name + " groups by " + label.trim()
                                + ", which the scrape of CloudNativePG gives no series (labels: " + relabelled + ")");
                    }
                }
            }
        }
    }

    /** Strimzi's labels on the Kafka Exporter's pod of the Kafka {@code cluster} (its KafkaExporter model, Labels). */
    static Map<String, String> kafkaExporterPod(String cluster) {
        return Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka-exporter",
                "app.kubernetes.io/name", "kafka-exporter", "app.kubernetes.io/part-of", "strimzi-" + cluster);
    }

    /** Whether a label selector (matchLabels and matchExpressions, as the Prometheus Operator reads them) takes a pod. */
    @SuppressWarnings("unchecked")
    static boolean selectorTakes(Map<String, Object> selector, Map<String, String> pod) {
        if (selector == null) {
            return false;
        }
        Map<String, String> labels = (Map<String, String>) selector.getOrDefault("matchLabels", Map.of());
        if (!pod.entrySet().containsAll(labels.entrySet())) {
            return false;
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of())) {
            String value = pod.get((String) e.get("key"));
            List<String> values = (List<String>) e.getOrDefault("values", List.of());
            boolean match = switch ((String) e.get("operator")) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("a selector operator this test reads: " + e);
            };
            if (!match) {
                return false;
            }
        }
        return true;
    }

    /** Each PodMonitor endpoint of a build that scrapes the pod: its port, its path (default /metrics), its monitor. */
    static List<Map<String, Object>> scrapesOf(Manifests manifests, Map<String, String> pod) {
        List<Map<String, Object>> found = new java.util.ArrayList<>();
        for (GenericKubernetesResource monitor : manifests.generic("PodMonitor")) {
            if (!selectorTakes(monitor.get("spec", "selector"), pod)) {
                continue;
            }
            List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
            for (Map<String, Object> endpoint : endpoints) {
                Map<String, Object> e = new HashMap<>(endpoint);
                e.putIfAbsent("path", "/metrics");
                e.put("monitor", monitor.getMetadata().getName());
                found.add(e);
            }
        }
        return found;
    }

    /** The labels of a Deployment's pods. */
    static Map<String, String> podLabels(Manifests manifests, String deployment) {
        return manifests.named(Deployment.class, deployment).getSpec().getTemplate().getMetadata().getLabels();
    }

    /**
     * Whether the build's NetworkPolicies let a peer reach a pod's port (by name or number): yes when no Ingress policy
     * selects the pod, else when a rule of one that does admits the peer, a namespace (by its kubernetes.io/metadata.name)
     * or a pod of the same namespace (by its labels). A rule with an ipBlock fails the test rather than be misread.
     */
    static boolean admits(Manifests manifests, Map<String, String> pod, String port, int number, String fromNamespace,
                          Map<String, String> fromPod) {
        List<NetworkPolicy> selecting = manifests.of(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().contains("Ingress"))
                .filter(p -> pod.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().filter(p -> p.getSpec().getIngress() != null).flatMap(p -> p.getSpec().getIngress().stream())
                .anyMatch(rule -> (rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream().anyMatch(q ->
                        q.getPort() == null || port.equals(q.getPort().getStrVal()) || Integer.valueOf(number).equals(q.getPort().getIntVal())))
                        && (rule.getFrom() == null || rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer -> {
                            assertNull(peer.getIpBlock(), "a NetworkPolicy peer this test reads: " + peer);
                            if (peer.getNamespaceSelector() != null) {
                                return peer.getPodSelector() == null && fromNamespace != null && fromNamespace.equals(
                                        peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
                            }
                            return fromPod != null && fromPod.entrySet().containsAll(peer.getPodSelector().getMatchLabels().entrySet());
                        })));
    }

    /** The series a PromQL expression reads: its names, without label matchers, grouping labels, ranges and functions. */
    static Set<String> seriesOf(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> series = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !Set.of("and", "or", "unless", "bool", "offset").contains(m.group(1))) {
                series.add(m.group(1));
            }
        }
        return series;
    }

    /**
     * Every series an alert reads is scraped by a PodMonitor of the base and of every overlay, from the pods that
     * export it, on their metrics port and path, admitted there by the NetworkPolicies, so that no alert waits for a
     * series that never comes: the services' own (w4r_*, http_server_*, the Kafka clients' kafka_consumer_*) on each
     * of the four's port http at /q/metrics; Strimzi's Kafka Exporter's kafka_consumergroup_* on its pod's
     * tcp-prometheus (9404) at /metrics, with the exporter enabled on the Kafka; CloudNativePG's cnpg_* and the Barman
     * Cloud plugin's barman_cloud_* on the instances' port metrics (postgresBackupsAreScrapedAndAlerted says which); a
     * blackbox exporter's probe_* through a PodMonitor at /probe of a Deployment of the build; {@code up} of a job,
     * whose name is a PodMonitor's. Found in a read-only review, 6 December 2026: the Kafka Exporter was deployed and
     * nothing scraped it, and no alert read it, so a stuck consumer (whose own lag figure stops) paged nobody.
     */
    @Test
    void everySeriesAnAlertReadsIsScraped() {
        List<JsonNode> rules = new java.util.ArrayList<>();
        Manifests.yaml(Repo.DEPLOY.resolve("monitoring/alerts.yml")).get("groups").forEach(g -> g.get("rules").forEach(rules::add));
        assertTrue(rules.stream().anyMatch(r -> seriesOf(r.path("expr").asText()).contains("kafka_consumergroup_lag")),
                "an alert on the brokers' view of consumer lag (kafka_consumergroup_lag): a stuck consumer reports none itself");
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            for (JsonNode rule : rules) {
                String name = build + ": " + rule.path("alert").asText();
                String expr = rule.path("expr").asText();
                for (String series : seriesOf(expr)) {
                    String where = name + " reads " + series;
                    if (series.equals("up")) {
                        java.util.regex.Matcher job = java.util.regex.Pattern.compile("\\bup\\s*\\{[^}]*\\bjob\\s*=~?\\s*\"([^\"]+)\"").matcher(expr);
                        while (job.find()) {
                            String pattern = job.group(1);
                            assertTrue(manifests.generic("PodMonitor").stream().anyMatch(m -> ("w4r/" + m.getMetadata().getName()).matches(pattern)),
                                    where + " of the job " + pattern + ", which no PodMonitor is (a PodMonitor's job is namespace/name)");
                        }
                    } else if (series.startsWith("w4r_") || series.startsWith("http_server_") || series.startsWith("kafka_consumer_")) {
                        for (String service : Repo.SERVICES) {
                            Map<String, String> pod = podLabels(manifests, service);
                            assertTrue(scrapesOf(manifests, pod).stream().anyMatch(e -> "http".equals(e.get("port"))
                                    && "/q/metrics".equals(e.get("path"))), where + ", which no PodMonitor scrapes from " + service
                                    + " (port http, /q/metrics)");
                            assertTrue(admits(manifests, pod, "http", Repo.port(service), "monitoring", null),
                                    where + ": the NetworkPolicies keep Prometheus (namespace monitoring) from " + service);
                        }
                    } else if (series.startsWith("kafka_consumergroup_")) {
                        Kafka kafka = manifests.of(Kafka.class).get(0);
                        assertNotNull(kafka.getSpec().getKafkaExporter(), where + ": the Kafka has no kafkaExporter to export it");
                        Map<String, String> pod = kafkaExporterPod(kafka.getMetadata().getName());
                        assertTrue(scrapesOf(manifests, pod).stream().anyMatch(e -> "tcp-prometheus".equals(e.get("port"))
                                && "/metrics".equals(e.get("path"))), where + ", which no PodMonitor scrapes: Strimzi's Kafka "
                                + "Exporter, pods " + pod + ", port tcp-prometheus (9404), /metrics");
                        assertTrue(admits(manifests, pod, "tcp-prometheus", 9404, "monitoring", null),
                                where + ": the NetworkPolicies keep Prometheus from the Kafka Exporter");
                    } else if (series.startsWith("cnpg_") || series.startsWith("barman_cloud_")) {
                        Map<String, String> pod = Map.of("cnpg.io/cluster", postgresCluster(manifests, build).getMetadata().getName());
                        assertTrue(scrapesOf(manifests, pod).stream().anyMatch(e -> "metrics".equals(e.get("port"))),
                                where + ", which no PodMonitor scrapes from CloudNativePG's exporter (port metrics)");
                    } else if (series.startsWith("probe_")) {
                        assertTrue(manifests.of(Deployment.class).stream().anyMatch(d -> scrapesOf(manifests,
                                d.getSpec().getTemplate().getMetadata().getLabels()).stream().anyMatch(e -> "/probe".equals(e.get("path"))
                                && d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                                        .anyMatch(p -> p.getName().equals(e.get("port"))))),
                                where + ", which no PodMonitor asks a blackbox exporter of the build for (path /probe)");
                    } else {
                        throw new AssertionError(where + ", which nothing known here exports: add where it comes from to this test");
                    }
                }
            }
        }
    }

    /**
     * The staff UI has no Micrometer, so no PodMonitor scrapes it (its /q/metrics answers 404: a target down for
     * ever), and a blackbox exporter of the build probes its readiness through its Service instead, with the series
     * labelled service="staff-ui" that W4RServiceDown reads; the NetworkPolicies admit the probe to the staff UI, and
     * only Prometheus to the probe (it fetches any URL a scrape names), on the base and every overlay. Until a
     * read-only review (6 December 2026) the PodMonitor scraped the staff UI in vain and a down staff UI paged nobody.
     */
    @Test
    void theStaffUiIsProbedNotScraped() {
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            Map<String, String> ui = podLabels(manifests, Repo.UI);
            List<Map<String, Object>> scrapes = scrapesOf(manifests, ui);
            assertTrue(scrapes.isEmpty(), build + ": a PodMonitor scrapes the staff UI, which has no metrics: " + scrapes);
            Service service = manifests.named(Service.class, Repo.UI);
            String readiness = "http://" + Repo.UI + ":" + service.getSpec().getPorts().get(0).getPort() + "/q/health/ready";
            boolean probed = false;
            for (Deployment prober : manifests.of(Deployment.class)) {
                Map<String, String> pod = prober.getSpec().getTemplate().getMetadata().getLabels();
                for (Map<String, Object> e : scrapesOf(manifests, pod)) {
                    if (!"/probe".equals(e.get("path"))) {
                        continue;
                    }
                    Map<?, ?> params = (Map<?, ?>) e.get("params");
                    if (params == null || !List.of(readiness).equals(params.get("target"))) {
                        continue;
                    }
                    String where = build + ": the probe " + prober.getMetadata().getName();
                    probed = true;
                    assertEquals(List.of("http_2xx"), params.get("module"), where + " expects a 2xx");
                    assertTrue(e.get("relabelings") instanceof List<?> relabelings && relabelings.stream().anyMatch(r ->
                                    r instanceof Map<?, ?> m && "service".equals(m.get("targetLabel")) && Repo.UI.equals(m.get("replacement"))
                                            && m.get("sourceLabels") == null && (m.get("action") == null || "replace".equals(m.get("action")))),
                            where + ": its series are labelled service=" + Repo.UI + ", which W4RServiceDown reads: " + e.get("relabelings"));
                    Container c = prober.getSpec().getTemplate().getSpec().getContainers().get(0);
                    assertTrue(c.getImage().matches("[^:]+/blackbox-exporter:v[0-9][^:]*"), where + ": a pinned blackbox exporter: " + c.getImage());
                    int port = c.getPorts().stream().filter(p -> p.getName().equals(e.get("port"))).findFirst()
                            .orElseThrow(() -> new AssertionError(where + " has no port " + e.get("port"))).getContainerPort();
                    assertTrue(admits(manifests, pod, (String) e.get("port"), port, "monitoring", null), where + ": Prometheus reaches it");
                    assertFalse(admits(manifests, pod, (String) e.get("port"), port, "ingress-nginx", null),
                            where + ": the ingress controller's namespace reaches it, and with it a URL it would fetch");
                    assertTrue(admits(manifests, ui, "http", Repo.port(Repo.UI), null, pod), where + " reaches the staff UI's port");
                    assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), where);
                    assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), where);
                    assertEquals(Boolean.TRUE, prober.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), where);
                }
            }
            assertTrue(probed, build + ": a blackbox exporter probes " + readiness + " for Prometheus (a PodMonitor at /probe)");
        }
        String down = Manifests.yaml(Repo.DEPLOY.resolve("monitoring/alerts.yml")).get("groups").get(0).get("rules")
                .findParents("alert").stream().filter(r -> r.get("alert").asText().equals("W4RServiceDown")).findFirst()
                .orElseThrow().get("expr").asText().replaceAll("\\s+", "");
        assertTrue(down.contains("probe_success{service=\"" + Repo.UI + "\"}==0"), "W4RServiceDown fires when the probe fails: " + down);
    }

    /** The private ranges (RFC 1918, the shared 100.64.0.0/10 some CNIs give pods, IPv6 ULA) a pod network lies in. */
    static final List<String> PRIVATE_RANGES = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");

    /** Whether an address or CIDR lies wholly inside a CIDR. */
    static boolean within(String cidr, String range) {
        try {
            String[] c = cidr.split("/");
            String[] r = range.split("/");
            byte[] a = java.net.InetAddress.getByName(c[0]).getAddress();
            byte[] b = java.net.InetAddress.getByName(r[0]).getAddress();
            if (a.length != b.length) {
                return false;
            }
            int bits = c.length > 1 ? Integer.parseInt(c[1]) : a.length * 8;
            int rangeBits = Integer.parseInt(r[1]);
            if (bits < rangeBits) {
                return false;
            }
            java.math.BigInteger mask = java.math.BigInteger.ONE.shiftLeft(a.length * 8).subtract(java.math.BigInteger.ONE)
                    .shiftRight(rangeBits).not();
            return new java.math.BigInteger(1, a).and(mask).equals(new java.math.BigInteger(1, b).and(mask));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The audit trail records the caller's address (service-kit AuditTrail, the request's remote address): behind the
     * Ingress that is an ingress controller's pod, unless Quarkus takes X-Forwarded-For. It may, on a build that says
     * so, only from the addresses a caller outside the cluster cannot have: QUARKUS_HTTP_PROXY_TRUSTED_PROXIES given
     * on the Deployment itself (the optional ConfigMap must not turn forwarding on alone), IP addresses or CIDRs only
     * (Quarkus looks a host name up at every request), each inside a private range and no wider than a /8 (a pod
     * network, never "everyone": without the list Quarkus trusts any peer); no forwarded host or prefix (nothing
     * here needs them, and a caller would choose them); and the NetworkPolicies admit to the port only namespaces
     * (the ingress controller's, monitoring) and pods of the namespace, never addresses. The example overlay takes the
     * caller's address (its test cluster's pod CIDR); the base cannot know a cluster's, and records the controller's
     * (docs/operations.md, "Client addresses"). Found in a read-only review, 6 December 2026.
     */
    @Test
    void theCallersAddressIsTakenOnlyFromTrustedProxies() {
        Map<String, Set<String>> forwarding = new HashMap<>();
        for (String build : BUILDS) {
            Manifests manifests = build(build);
            Map<String, String> settings = manifests.of(ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(PLATFORM_SETTINGS) && c.getData() != null)
                    .findFirst().map(ConfigMap::getData).orElse(Map.of());
            for (String service : Repo.DEPLOYED) {
                String where = build + ": " + service;
                Map<String, String> own = envOf(manifests, service);
                Map<String, String> env = new HashMap<>(settings);
                env.putAll(own);
                if (!"true".equalsIgnoreCase(env.getOrDefault("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "false").trim())) {
                    continue;
                }
                forwarding.computeIfAbsent(build, b -> new TreeSet<>()).add(service);
                String trusted = own.get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
                assertTrue(trusted != null && !trusted.isBlank(), where + " takes X-Forwarded-For from any peer: "
                        + "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES is not set on the Deployment");
                for (String entry : trusted.split(",")) {
                    String cidr = entry.trim();
                    assertTrue(cidr.matches("[0-9.]+(/[0-9]{1,2})?|[0-9a-fA-F:]+(/[0-9]{1,3})?"), where + ": trusted proxy "
                            + cidr + " is not an address or a CIDR (a host name is looked up at every request)");
                    assertTrue(PRIVATE_RANGES.stream().anyMatch(range -> within(cidr, range)), where + ": trusted proxy "
                            + cidr + " is not inside a private range " + PRIVATE_RANGES + ": callers from outside have it");
                    assertTrue(!cidr.contains("/") || Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)) >= 8,
                            where + ": trusted proxy " + cidr + " is wider than a pod network");
                }
                for (String variable : List.of("QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST", "QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_PREFIX")) {
                    assertFalse("true".equalsIgnoreCase(env.getOrDefault(variable, "false").trim()), where + ": " + variable);
                }
                Map<String, String> pod = podLabels(manifests, service);
                manifests.of(NetworkPolicy.class).stream()
                        .filter(p -> pod.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                        .filter(p -> p.getSpec().getIngress() != null).flatMap(p -> p.getSpec().getIngress().stream())
                        .forEach(rule -> {
                            assertTrue(rule.getFrom() != null && !rule.getFrom().isEmpty(), where + ": a NetworkPolicy admits every peer");
                            rule.getFrom().forEach(peer -> assertNull(peer.getIpBlock(), where + ": a NetworkPolicy admits "
                                    + "addresses (" + peer.getIpBlock() + "), which may then say whom they forward for"));
                        });
            }
        }
        assertFalse(forwarding.containsKey("base"), "the base cannot know a cluster's pod network: " + forwarding);
        assertEquals(new TreeSet<>(List.of(Repo.DEPLOYED)), forwarding.get("overlays/example"),
                "the example overlay records the caller's address in every service: " + forwarding);
    }

    @Test
    void aDeployerSetsTracingAndSignInWithoutEditingAManifest() {
        for (String service : Repo.DEPLOYED) {
            List<EnvFromSource> envFrom = container(service).getEnvFrom();
            assertNotNull(envFrom, service);
            ConfigMapEnvSource settings = envFrom.stream().map(EnvFromSource::getConfigMapRef).filter(Objects::nonNull)
                    .filter(ref -> ref.getName().equals(PLATFORM_SETTINGS)).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " reads " + PLATFORM_SETTINGS));
            assertEquals(Boolean.TRUE, settings.getOptional(), service + " starts without the deployer's settings");
        }
        Manifests example = Manifests.overlay("example");
        example.named(ConfigMap.class, PLATFORM_SETTINGS);
        for (String service : Repo.DEPLOYED) {
            assertTrue(example.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null
                            && e.getConfigMapRef().getName().equals(PLATFORM_SETTINGS)), service + " reads the example's settings");
        }
    }

    /**
     * The staff UI is told the APIs' public addresses, each API allows one and the same origin (the UI's) in its CORS
     * rules, and the UI has nothing to protect: no database, no Kafka, no Secret.
     */
    @Test
    void theStaffUiReachesTheApisAndEachAllowsOnlyItsOrigin() {
        Map<String, EnvVar> ui = env(Repo.UI);
        for (String api : List.of("CASE", "PETITION", "TALLY", "DELIVERY")) {
            assertTrue(value(Repo.UI, "W4R_UI_" + api + "_SERVICE_URL").startsWith("https://"), api);
        }
        assertTrue(ui.values().stream().noneMatch(e -> e.getName().startsWith("QUARKUS_DATASOURCE")
                || e.getName().startsWith("KAFKA") || e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null),
                Repo.UI + " holds no secret: " + ui.keySet());
        assertTrue(container(Repo.UI).getVolumeMounts().stream().noneMatch(m -> m.getMountPath().startsWith("/etc/w4r")));
        Set<String> origins = new HashSet<>();
        for (String service : Repo.SERVICES) {
            // tally's CORS is its own (its public counter answers any origin); the others use Quarkus' filter
            origins.add(value(service, service.equals("tally-service") ? "W4R_TALLY_CORS_ORIGINS" : "QUARKUS_HTTP_CORS_ORIGINS"));
        }
        assertEquals(1, origins.size(), "every API allows the same origin: " + origins);
        assertTrue(origins.iterator().next().matches("https://[^/,*]+"), "one origin, no wildcard: " + origins);
    }

    /**
     * docs/operations.md names the CORS origin the base's APIs allow, as the manifests say it, and no wildcard origin,
     * which the APIs would not accept: it said {@code https://*.w4r.example.org} while every manifest said the staff
     * UI's one origin (a read-only review, 6 December 2026).
     */
    @Test
    void theOperationsGuideNamesTheBasesCorsOrigin() {
        String origin = value("case-service", "QUARKUS_HTTP_CORS_ORIGINS");
        String guide = Repo.read(Repo.ROOT.resolve("docs/operations.md"));
        String row = guide.lines().filter(l -> l.startsWith("| `services/staff-ui/kubernetes.yml`")).findFirst()
                .orElseThrow(() -> new AssertionError("docs/operations.md describes services/staff-ui/kubernetes.yml"));
        assertTrue(row.contains("`" + origin + "` in the base"), "docs/operations.md names the base's CORS origin " + origin
                + ": " + row);
        assertFalse(guide.matches("(?s).*https?://\\*\\..*"), "docs/operations.md names a wildcard origin, which no API allows");
    }

    /**
     * The base's copy of each service's manifest is what `./mvnw package` generated for it: a setting changed in
     * application.properties (or service-kit's) without refreshing the copy fails here. The generator is told to
     * write nothing that changes from build to build (no build time, no commit id); the one thing it still varies is
     * the order of keys within a mapping (labels come out of a hash map), which means nothing in YAML, so documents
     * are compared as trees: mappings whatever their order, lists (env, containers, ports) in order.
     */
    @Test
    void theBaseHoldsWhatEachServiceBuildGenerated() throws Exception {
        for (String service : Repo.DEPLOYED) {
            Path generated = Repo.ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml");
            assertTrue(Files.exists(generated), generated + " is missing: package the service first (`./mvnw -B -pl deploy "
                    + "-am verify` does, this module depends on the services)");
            Path copy = Repo.DEPLOY.resolve("kubernetes/base/services").resolve(service).resolve("kubernetes.yml");
            List<JsonNode> expected = documents(generated);
            List<JsonNode> actual = documents(copy);
            String refresh = Repo.ROOT.relativize(copy) + " is not what the build generated; refresh it: "
                    + "./mvnw -B -pl deploy -am package -DskipTests -Prefresh-manifests";
            assertEquals(expected.size(), actual.size(), refresh);
            for (int i = 0; i < expected.size(); i++) {
                String where = expected.get(i).path("kind").asText() + " " + expected.get(i).path("metadata").path("name").asText();
                String difference = difference("", expected.get(i), actual.get(i));
                assertTrue(difference == null, refresh + "\n  " + where + " " + difference);
            }
            // the generator writes only what the base expects of it; anything else (an init Job, RBAC, a ServiceMonitor,
            // which an added extension can bring) must be decided on, not deployed by surprise
            Manifests own = new Manifests();
            own.load(copy.toString(), Repo.read(copy));
            assertEquals(Set.of("ServiceAccount", "Service", "Deployment"), own.all.stream().map(HasMetadata::getKind)
                    .collect(Collectors.toSet()), service);
        }
        Set<String> listed = new HashSet<>();
        Manifests.kustomization(Repo.DEPLOY.resolve("kubernetes/base")).get("resources").forEach(r -> listed.add(r.asText()));
        for (String service : Repo.DEPLOYED) {
            assertTrue(listed.contains("services/" + service + "/kubernetes.yml"), "the base deploys " + service + "'s generated manifest");
        }
    }

    /**
     * Where two trees first differ, as a JSON pointer with both values, or null when they are equal. JUnit would print
     * both documents whole, a hundred lines apart; this names the one setting that changed.
     */
    private static String difference(String path, JsonNode generated, JsonNode copy) {
        if (generated.equals(copy)) {
            return null;
        }
        if (generated.isObject() && copy.isObject()) {
            Set<String> keys = new TreeSet<>();
            generated.fieldNames().forEachRemaining(keys::add);
            copy.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String d = difference(path + "/" + key, generated.path(key), copy.path(key));
                if (d != null) {
                    return d;
                }
            }
        } else if (generated.isArray() && copy.isArray() && generated.size() == copy.size()) {
            for (int i = 0; i < generated.size(); i++) {
                String d = difference(path + "/" + i, generated.get(i), copy.get(i));
                if (d != null) {
                    return d;
                }
            }
        }
        return path + ": generated " + (generated.isMissingNode() ? "(nothing)" : generated)
                + ", copy " + (copy.isMissingNode() ? "(nothing)" : copy);
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        try (var parser = Manifests.YAML.getFactory().createParser(file.toFile())) {
            return Manifests.YAML.readValues(parser, JsonNode.class).readAll();
        }
    }
}
