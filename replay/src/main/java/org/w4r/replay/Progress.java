package org.w4r.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Prints, every few seconds while the replay sends, how many actions are acknowledged, the rate and what is left. */
final class Progress implements AutoCloseable {
    final AtomicLong done = new AtomicLong();
    private final long total;
    private final PrintStream out;
    private final Thread printer;
    private final long started = System.nanoTime();

    Progress(long total, PrintStream out, Duration every) {
        this.total = total;
        this.out = out;
        printer = new Thread(() -> {
            long lastDone = 0, lastAt = System.nanoTime();
            try {
                while (true) {
                    Thread.sleep(every.toMillis());
                    long now = System.nanoTime(), d = done.get();
                    double rate = (d - lastDone) / ((now - lastAt) / 1e9);
                    lastDone = d;
                    lastAt = now;
                    out.println(line(d, rate));
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }, "replay-progress");
        printer.setDaemon(true);
        printer.start();
    }

    private String line(long d, double rate) {
        long remaining = total - d;
        double average = d / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        long eta = average > 0 ? (long) (remaining / average) : -1;
        return String.format("replay: %,d / %,d actions acknowledged (%.1f%%), %,.0f actions/s now, %,.0f on average, "
                        + "%,d remaining%s", d, total, 100.0 * d / Math.max(1, total), rate, average, remaining,
                eta >= 0 ? ", about " + Duration.ofSeconds(eta).toString().substring(2).toLowerCase() + " to go" : "");
    }

    double averageRate() {
        return done.get() / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    }

    @Override
    public void close() {
        printer.interrupt();
    }
}
