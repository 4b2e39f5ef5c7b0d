package org.w4r.kit.reference;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import org.w4r.events.CaseChanged;
import org.w4r.kit.messaging.KafkaClients;
import org.w4r.kit.messaging.KitFixtures;
import org.w4r.kit.security.TokenDirectory;
import org.w4r.kit.tracing.EventTracing;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reference stream on a real broker, with its read model and credential index, wired by hand as CDI would (their
 * fields are package-private).
 */
public final class ReferenceDataFixture {
    private ReferenceDataFixture() {
    }

    /** {@code caseChanges}: every case change the read model announced to its observers, in order. */
    public record Started(ReferenceStream stream, ReferenceData data, TokenDirectory directory, KafkaClients clients,
                          List<CaseChanged> caseChanges) {
    }

    public static Started started(String bootstrapServers) throws InterruptedException {
        Started started = wired(bootstrapServers);
        started.stream().start(null);
        return started;
    }

    /** Wired, not started. */
    public static Started wired(String bootstrapServers) {
        return wired(bootstrapServers, true);
    }

    /** {@code manageTopics} false: the topics are an operator's, as on Kubernetes; a missing one stays missing. */
    public static Started wired(String bootstrapServers, boolean manageTopics) {
        return wired(KitFixtures.clients(bootstrapServers, "service-kit-test"), manageTopics);
    }

    /** On {@code clients} of the caller's (wired with {@link KitFixtures#wire}). */
    public static Started wired(KafkaClients clients, boolean manageTopics) {
        ReferenceStream stream = new ReferenceStream();
        ReferenceData data = new ReferenceData();
        TokenDirectory directory = new TokenDirectory();
        Recorded caseChanges = new Recorded();
        data.stream = stream;
        data.caseChanges = caseChanges;
        data.registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        stream.clients = clients;
        stream.topics = KitFixtures.topicAdmin(clients, manageTopics);
        stream.offsets = KitFixtures.offsets(clients);
        stream.data = data;
        stream.registry = data.registry;
        stream.directory = directory;
        stream.tracing = new EventTracing(io.opentelemetry.api.OpenTelemetry.noop().getTracer("w4r-test"));
        stream.startupWait = Duration.ofSeconds(60);
        return new Started(stream, data, directory, clients, caseChanges.fired);
    }

    public static void stop(Started started) {
        started.stream().stop(null);
        KitFixtures.close(started.clients());
    }

    /** Keeps what is fired. */
    private static final class Recorded implements Event<CaseChanged> {
        final List<CaseChanged> fired = new CopyOnWriteArrayList<>();

        @Override
        public void fire(CaseChanged event) {
            fired.add(event);
        }

        @Override
        public <U extends CaseChanged> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends CaseChanged> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<CaseChanged> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends CaseChanged> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends CaseChanged> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
