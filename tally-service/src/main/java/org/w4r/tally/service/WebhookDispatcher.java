package org.w4r.tally.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.transaction.AfterCommit;
import org.w4r.tally.repository.WebhookRepository;
import org.w4r.tally.repository.WebhookRepository.Due;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends the queued deliveries: one thread per instance claims what is due ({@link WebhookRepository#claimDue}, safe
 * with several instances), POSTs each, signed, all of a claim at once, and records the answer: a 2xx is delivered;
 * anything else (another status, a timeout, a refused address) is tried again after a backoff that doubles from
 * {@code w4r.webhooks.backoff-initial} up to {@code …backoff-max}, and after {@code …max-attempts} attempts the delivery
 * is dead (replayable by its entity). Woken as soon as something is queued, so a hold reaches the receivers in the
 * time of a claim and a POST; otherwise it looks every {@code w4r.webhooks.poll} for retries come due.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    @Inject
    WebhookRepository webhooks;

    @Inject
    ReceiverAddress receivers;

    @Inject
    MeterRegistry registry;

    @Inject
    WebhookSettings settings;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private HttpClient client;

    void start(@Observes StartupEvent started) {
        // no redirects: a receiver must not send tally on to an address that was never checked
        client = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        running = true;
        thread = new Thread(this::loop, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(settings.timeout().toMillis() + 1000);
        }
    }

    /** Something was queued (after its commit): look now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    /** Something is being queued in the active transaction: look once it is committed (a rollback queued nothing). */
    public void wakeAfterCommit() {
        AfterCommit.run(transactions, this::wake);
    }

    private void loop() {
        while (running) {
            try {
                if (dispatchOnce() == 0) {
                    wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("webhooks: cannot dispatch (%s); trying again in %s", Failures.describe(e), settings.poll());
                try {
                    Thread.sleep(settings.poll().toMillis());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims what is due and sends it; returns how many were claimed. */
    int dispatchOnce() throws InterruptedException {
        // the lease outlives every attempt of the claim (they run side by side, each bounded by the timeout)
        List<Due> due = webhooks.claimDue(settings.batchSize(), settings.timeout().multipliedBy(3).plusSeconds(10));
        List<CompletableFuture<Void>> sent = new ArrayList<>(due.size());
        for (Due d : due) {
            sent.add(send(d));
        }
        for (CompletableFuture<Void> s : sent) {
            try {
                s.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warnf("webhooks: recording an attempt failed (%s)", Failures.describe(e.getCause()));
            }
        }
        return due.size();
    }

    private CompletableFuture<Void> send(Due d) {
        URI uri;
        try {
            uri = receivers.check(d.url());
        } catch (ReceiverAddress.Refused e) {
            failed(d, null, "address refused: " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "w4r-webhooks/1")
                .header("W4R-Event-Id", d.eventId().toString())
                .header("W4R-Event-Type", d.eventType())
                .header(WebhookSigner.HEADER, WebhookSigner.header(d.secret(), Instant.now().getEpochSecond(), d.body()))
                .POST(HttpRequest.BodyPublishers.ofString(d.body()))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                failed(d, null, cause.getClass().getSimpleName());
            } else if (response.statusCode() / 100 == 2) {
                webhooks.delivered(d.id(), response.statusCode());
                registry.counter("w4r.webhooks.deliveries", "outcome", "delivered", "entity", d.entityId()).increment();
            } else {
                failed(d, response.statusCode(), "HTTP " + response.statusCode());
            }
            return null;
        });
    }

    private void failed(Due d, Integer status, String error) {
        int attempts = d.attempts() + 1;
        Duration retryIn = attempts >= settings.maxAttempts() ? null : backoff(attempts);
        webhooks.failed(d.id(), status, error, retryIn);
        registry.counter("w4r.webhooks.deliveries", "outcome", retryIn == null ? "dead" : "failed",
                "entity", d.entityId()).increment();
        if (retryIn == null) {
            registry.counter("w4r.webhooks.dead.letters", "entity", d.entityId()).increment();
            LOG.warnf("webhooks: delivery %s of event %s to a webhook of %s is dead after %d attempts (%s)", d.id(),
                    d.eventId(), d.entityId(), attempts, error);
        }
    }

    /** After the n-th failed attempt: the initial backoff doubled n-1 times, at most the maximum. */
    Duration backoff(int attempts) {
        long ms = settings.backoffInitial().toMillis();
        for (int i = 1; i < attempts && ms < settings.backoffMax().toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, settings.backoffMax().toMillis()));
    }
}
