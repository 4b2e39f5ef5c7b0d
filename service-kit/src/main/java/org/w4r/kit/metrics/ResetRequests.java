package org.w4r.kit.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * A request whose connection was reset before its answer was complete is counted with {@code status="RESET"} and,
 * when no route had matched, with the raw path as its {@code uri}: {@code suppress4xx-errors} covers 4xx answers only.
 * A caller who opens a request to a made-up path and drops it made a series per path (case-service's
 * {@code MalformedInputTest}, 4 December 2026: a body refused before routing, the client gone before the answer was
 * read). Such requests keep their count, under {@code uri="UNKNOWN"} as a suppressed 4xx does.
 */
public class ResetRequests {
    static final String UNKNOWN = "UNKNOWN";

    @Produces
    @Singleton
    MeterFilter resetRequestsWithoutTheirPath() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server") || !"RESET".equals(id.getTag("status"))
                        || id.getTag("uri") == null || UNKNOWN.equals(id.getTag("uri"))) {
                    return id;
                }
                List<Tag> tags = id.getTags().stream()
                        .map(t -> "uri".equals(t.getKey()) ? Tag.of("uri", UNKNOWN) : t).toList();
                return id.replaceTags(tags);
            }
        };
    }
}
