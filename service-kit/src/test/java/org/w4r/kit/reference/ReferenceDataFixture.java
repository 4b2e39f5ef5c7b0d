package org.w4r.kit.reference;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import org.w4r.events.CaseChanged;
import org.w4r.kit.messaging.KitFixtures;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A ReferenceData read model on a real broker, wired by hand as CDI would (its fields are package-private). */
public final class ReferenceDataFixture {
    private ReferenceDataFixture() {
    }

    public static ReferenceData started(String bootstrapServers) throws InterruptedException {
        ReferenceData data = new ReferenceData();
        data.kafka = KitFixtures.settings(bootstrapServers);
        data.topics = KitFixtures.topicAdmin(data.kafka);
        data.caseChanges = new Ignored();
        data.tracing = new org.w4r.kit.tracing.EventTracing(io.opentelemetry.api.OpenTelemetry.noop().getTracer("w4r-test"));
        data.registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        data.application = "service-kit-test";
        data.startupWait = Duration.ofSeconds(60);
        data.start(null);
        return data;
    }

    public static void stop(ReferenceData data) {
        data.stop(null);
    }

    /** Nobody observes case changes here. */
    private static final class Ignored implements Event<CaseChanged> {
        @Override
        public void fire(CaseChanged event) {
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
