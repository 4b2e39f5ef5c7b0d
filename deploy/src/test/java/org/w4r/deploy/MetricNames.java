package org.w4r.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own series, as the code registers them (Micrometer names such as {@code w4r.outbox.backlog}), and the check that
 * an alert or a dashboard names only those: a renamed meter would otherwise leave an alert that never fires.
 */
final class MetricNames {
    private static final Pattern REGISTERED = Pattern.compile("(?:counter|timer|Gauge\\.builder)\\(\\s*\"(w4r\\.[a-z.]+)\"");
    private static final Pattern REFERENCED = Pattern.compile("\\bw4r_[a-z_]+");
    /** What Micrometer's Prometheus registry appends to a counter, a timer and a gauge measured in seconds. */
    private static final Set<String> SUFFIXES = Set.of("", "_total", "_seconds", "_seconds_count", "_seconds_sum",
            "_seconds_bucket", "_seconds_max");

    private MetricNames() {
    }

    static Set<String> registered() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repo.ROOT)) {
            files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .forEach(p -> {
                        Matcher m = REGISTERED.matcher(Repo.read(p));
                        while (m.find()) {
                            names.add(m.group(1).replace('.', '_'));
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static void assertExported(String text, String where) {
        Set<String> registered = registered();
        assertTrue(registered.size() >= 5, "the services' meters were found: " + registered);
        Matcher m = REFERENCED.matcher(text);
        while (m.find()) {
            String series = m.group();
            assertTrue(registered.stream().anyMatch(name -> series.startsWith(name)
                            && SUFFIXES.contains(series.substring(name.length()))),
                    where + " names " + series + ", which no service exports (exported: " + registered + ")");
        }
    }
}
