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
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.transaction.AfterCommit;
import org.w4r.tally.repository.WebhookRepository;
import org.w4r.tally.repository.WebhookRepository.Due;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the queued deliveries: one thread per instance claims what is due ({@link WebhookRepository#claimDue}, safe
 * with several instances), up to {@code w4r.webhooks.max-in-flight} attempts at once and at most
 * {@code w4r.webhooks.batch-per-entity} of one entity, POSTs each, signed, without waiting for the others, and records
 * the answer: a 2xx is delivered; anything else (another status, a timeout, a refused
 * address) is tried again after a backoff that doubles from {@code w4r.webhooks.backoff-initial} up to
 * {@code …backoff-max}, and after {@code …max-attempts} attempts the delivery is dead (replayable by its entity). Woken
 * as soon as something is queued, so a hold reaches the receivers in the time of a claim and a POST; otherwise it looks
 * every {@code w4r.webhooks.poll} for retries come due.
 * <p>
 * Every attempt, the name's lookup, the headers and the whole body, ends at {@code w4r.webhooks.timeout}: JDK 17's
 * {@code HttpRequest.Builder.timeout} ends at the response headers, so a receiver that answered 200 and then trickled its body
 * (or fell silent) held this thread for ever, and after the lease the next instance's: every entity's webhooks, safety
 * holds included, stopped (review, 4 December 2026; {@code WebhookTest}
 * {@code aReceiverThatNeverFinishesItsAnswerHoldsUpNobodyElse}).
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
    ReferenceData reference;

    @Inject
    WebhookBodies bodies;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final Semaphore wake = new Semaphore(0);
    /** Attempts started and not yet recorded, by entity (guarded by itself). */
    private final Map<String, Integer> inFlight = new HashMap<>();
    private volatile boolean running;
    private Thread thread;
    private HttpClient client;
    /** Ends each attempt still running at its timeout. */
    private ScheduledExecutorService deadlines;
    /**
     * Records each outcome and prepares each POST, off the dispatcher thread: short tasks (a statement or two), never a
     * lookup, so the pool is as large as the attempts in flight at most.
     */
    private ExecutorService workers;
    /**
     * Looks each receiver's name up ({@link ReceiverAddress.Lookups}): a lookup cannot be interrupted, and one the
     * entity's own DNS server leaves unanswered outlasts the attempt's deadline. Until a read-only review of 6 December
     * 2026 such lookups ran on a pool that grew without bound: the attempt was recorded at its deadline, its place
     * freed, and the next attempt (another name) took another thread while the first still hung. Now an attempt keeps
     * its place until its lookup has returned, so the lookups of an entity hold at most {@code batch-per-entity}
     * threads, all of them at most {@code max-in-flight}, the size of this pool.
     */
    private ReceiverAddress.Lookups lookups;

    void start(@Observes StartupEvent started) {
        // no redirects: a receiver must not send tally on to an address that was never checked
        client = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        deadlines = Executors.newSingleThreadScheduledExecutor(daemon("webhook-deadlines"));
        workers = Executors.newCachedThreadPool(daemon("webhook-worker"));
        // queued: the places in flight bound what is submitted, so a lookup finding every thread taken is one whose
        // attempt was just recorded, its thread about to be free
        lookups = receivers.lookups("webhook-lookup", settings.maxInFlight(), true);
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
        if (deadlines != null) {
            deadlines.shutdownNow();
            workers.shutdownNow();
            lookups.shutdown();
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
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

    /**
     * Claims what is due, as far as this instance has attempts to spare, and starts sending it; returns how many were
     * claimed. It never waits for them: each attempt, once recorded and its name's lookup returned, frees its place
     * and wakes the loop to claim again. Until a read-only review of 6 December 2026 each claim waited for its slowest
     * attempt (up to the timeout), so an entity whose receivers stalled, its deliveries kept due by replays, had a share
     * of every claim and held each one for the timeout: a {@code case.held} to every other site went out forty at a
     * time, five seconds apart. An entity still has at most {@code batch-per-entity} attempts in flight here.
     */
    int dispatchOnce() {
        // nothing is claimed before the read model has read every hold: a starting instance's held set is empty or
        // half-read, and its group's rebalance pauses the webhook consumer that writes the other copy, so a milestone
        // of a case held meanwhile went out (a read-only review, 8 December 2026). The poll tries again
        if (!reference.isCaughtUp()) {
            return 0;
        }
        int spare;
        Map<String, Integer> flying;
        synchronized (inFlight) {
            spare = settings.maxInFlight() - inFlight.values().stream().mapToInt(Integer::intValue).sum();
            flying = Map.copyOf(inFlight);
        }
        if (spare <= 0) {
            return 0;
        }
        // the lease outlives every attempt (each ended at the timeout) and its recording, so no instance claims a
        // delivery again while it is being sent
        List<Due> due = webhooks.claimDue(Math.min(settings.batchSize(), spare), settings.batchPerEntity(),
                settings.timeout().multipliedBy(3).plusSeconds(10), reference.heldCaseIds(), flying);
        for (Due d : due) {
            synchronized (inFlight) {
                inFlight.merge(d.entityId(), 1, Integer::sum);
            }
            send(d).whenComplete((recorded, failure) -> {
                if (failure != null) {
                    LOG.warnf("webhooks: recording an attempt failed (%s); it comes back after its lease",
                            Failures.describe(failure));
                }
                synchronized (inFlight) {
                    inFlight.computeIfPresent(d.entityId(), (entity, n) -> n > 1 ? n - 1 : null);
                }
                wake();
            });
        }
        return due.size();
    }

    /** The outcome of one attempt: the receiver's status, if it answered, and why it failed, if it did. */
    private record Outcome(Integer status, String error) {
    }

    /** The webhook was deleted while its attempt was under way: nothing was sent, the delete gave the delivery up. */
    private static final Outcome DELETED = new Outcome(null, "webhook deleted");

    /**
     * The event may not be told now ({@link WebhookBodies}): nothing was sent; tried again after the longest backoff,
     * without counting an attempt. Not given up: the counter may be switched on again, or this instance's read model
     * may be behind the one that queued it (a review of the day's changes, 8 December 2026: marked dead, such a
     * milestone was lost for good).
     */
    private static final Outcome HELD_BACK = new Outcome(null, "held back: the case's counter is not public");

    /**
     * One attempt, recorded; the returned future completes once it is and its name's lookup has returned (see
     * {@link #lookups}). The lookup runs on {@link #lookups}, the rest on the workers and the HTTP client, never on the
     * dispatcher thread, and the deadline ends the attempt wherever it is.
     * <p>
     * Right before the POST the webhook is read again: it may have been deleted since it was claimed, and the claim
     * carries its URL and secret. So is what the body may still say ({@link WebhookBodies}): a hold or a counter
     * switched off since it was queued. Until a read-only review of 6 December 2026 a webhook deleted during a slow lookup
     * still got the POST. What is left: a delete committed between that read and the request reaching the receiver (the
     * time of a connection), or during a POST already sent.
     */
    private CompletableFuture<Void> send(Due d) {
        CompletableFuture<Outcome> attempt = new CompletableFuture<>();
        AtomicReference<CompletableFuture<HttpResponse<Void>>> exchange = new AtomicReference<>();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            if (attempt.complete(new Outcome(null, "timeout"))) {
                // cancel(true) aborts the exchange and closes its connection (JDK 16 and later); cancel(false), or
                // completing a dependent stage, would leave it reading the receiver's body
                CompletableFuture<HttpResponse<Void>> running = exchange.get();
                if (running != null) {
                    running.cancel(true);
                }
            }
        }, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Void> lookup = CompletableFuture.completedFuture(null);
        try {
            URI uri = receivers.parse(d.url());
            lookup = lookups.check(uri.getHost());
            // async: the lookup's thread is free for the next name at once, whatever follows takes
            lookup.whenCompleteAsync((checked, refused) -> {
                if (attempt.isDone()) { // the deadline passed during the lookup
                    return;
                }
                if (refused != null) {
                    Throwable cause = refused instanceof CompletionException && refused.getCause() != null
                            ? refused.getCause() : refused;
                    attempt.complete(new Outcome(null, cause instanceof ReceiverAddress.Refused r
                            ? "address refused: " + r.getMessage() : cause.getClass().getSimpleName()));
                    return;
                }
                post(d, uri, attempt, exchange);
            }, workers);
        } catch (ReceiverAddress.Refused e) {
            attempt.complete(new Outcome(null, "address refused: " + e.getMessage()));
        } catch (RuntimeException e) {
            attempt.complete(new Outcome(null, e.getClass().getSimpleName()));
        }
        CompletableFuture<Void> recorded = attempt.thenAcceptAsync(o -> {
            deadline.cancel(false);
            if (o == DELETED) {
                webhooks.failed(d.id(), null, o.error(), null); // already dead by the delete, unless deleted otherwise
            } else if (o == HELD_BACK) {
                webhooks.holdBack(d.id(), o.error(), settings.backoffMax());
                registry.counter("w4r.webhooks.deliveries", "outcome", "held-back", "entity", d.entityId()).increment();
            } else if (o.error() == null) {
                webhooks.delivered(d.id(), o.status());
                registry.counter("w4r.webhooks.deliveries", "outcome", "delivered", "entity", d.entityId()).increment();
            } else {
                failed(d, o.status(), o.error());
            }
        }, workers);
        return CompletableFuture.allOf(recorded, lookup.handle((checked, refused) -> null));
    }

    /** Sends the attempt, its address checked, unless its webhook was deleted meanwhile. */
    private void post(Due d, URI uri, CompletableFuture<Outcome> attempt,
                      AtomicReference<CompletableFuture<HttpResponse<Void>>> exchange) {
        try {
            if (!webhooks.isLive(d.webhookId())) {
                attempt.complete(DELETED);
                return;
            }
            String body = bodies.asOfNow(d).orElse(null);
            if (body == null) {
                attempt.complete(HELD_BACK);
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "w4r-webhooks/1")
                    .header("W4R-Event-Id", d.eventId().toString())
                    .header("W4R-Event-Type", d.eventType())
                    .header(WebhookSigner.HEADER, WebhookSigner.header(d.secret(), Instant.now().getEpochSecond(), body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            if (attempt.isDone()) { // the deadline passed during the read
                return;
            }
            CompletableFuture<HttpResponse<Void>> sending = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            exchange.set(sending);
            if (attempt.isDone()) { // the deadline passed before the exchange could be cancelled
                sending.cancel(true);
                return;
            }
            sending.whenComplete((response, error) -> attempt.complete(outcome(response, error)));
        } catch (RuntimeException e) {
            attempt.complete(new Outcome(null, e.getClass().getSimpleName()));
        }
    }

    private static Outcome outcome(HttpResponse<Void> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return new Outcome(null, cause.getClass().getSimpleName());
        }
        return response.statusCode() / 100 == 2 ? new Outcome(response.statusCode(), null)
                : new Outcome(response.statusCode(), "HTTP " + response.statusCode());
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
