package org.w4r.tally.service;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where tally may send a webhook: an https URL (http only where {@code w4r.webhooks.allow-http} says so, for a local
 * receiver in development and tests) whose host resolves only to public addresses, so an entity cannot make tally call
 * into the cluster, the cloud's metadata service or loopback (SSRF). Checked at registration and again before every
 * attempt: the name may have been re-pointed since (DNS rebinding); every address it resolves to must pass, and the
 * connection that follows takes its address from the JDK's cache of the lookup just checked (30 s).
 * <p>
 * Names are looked up on {@link Lookups}, a few threads of their own, never on the caller's: a lookup cannot be
 * interrupted, and one whose nameserver never answers lasts the resolver's timeout. Until a read-only review of
 * 6 December 2026 a registration looked its name up on the HTTP worker thread with no deadline, so a few hundred
 * registrations naming such hosts held every worker thread and stalled every blocking endpoint of tally; the
 * dispatcher's pool grew a thread for each lookup hung past its deadline.
 */
@ApplicationScoped
public class ReceiverAddress {
    /** Turns a name into its addresses: the JDK's lookup (and its cache) except in tests, which make names hang. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private boolean allowHttp;
    private boolean allowPrivate;
    private Duration registrationDeadline;
    private Lookups registrations;
    private volatile Resolver resolver = InetAddress::getAllByName;

    @Inject
    ReceiverAddress(WebhookSettings settings) {
        this(settings.allowHttp(), settings.allowPrivateAddresses(), settings.lookupTimeout(),
                settings.registrationLookups());
    }

    ReceiverAddress(boolean allowHttp, boolean allowPrivate) {
        this(allowHttp, allowPrivate, Duration.ofSeconds(2), 4);
    }

    ReceiverAddress(boolean allowHttp, boolean allowPrivate, Duration registrationDeadline, int registrationLookups) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
        this.registrationDeadline = registrationDeadline;
        this.registrations = lookups("webhook-registration-lookup", registrationLookups, false);
    }

    @PreDestroy
    void stop() {
        registrations.shutdown();
    }

    /** The test seam: how names are resolved from now on (the JDK's lookup when not set). */
    void resolveWith(Resolver resolver) {
        this.resolver = resolver == null ? InetAddress::getAllByName : resolver;
    }

    /** Why an address is refused, in words an entity developer can act on (no address is echoed). */
    public static class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /** Every thread that looks names up is busy: nothing was looked up, the same request may come again later. */
    public static class Busy extends Refused {
        Busy() {
            super("every lookup of receivers' names is busy");
        }
    }

    /**
     * The parsed URL of a registration, or why it is refused: as {@link #parse}, and its host looked up within
     * {@code w4r.webhooks.lookup-timeout}. At most {@code w4r.webhooks.registration-lookups} registrations of this
     * instance wait for a lookup at once; the next is {@link Busy} at once, so however many registrations name hosts
     * that never resolve, they hold at most that many HTTP worker threads, each for the deadline.
     */
    public URI check(String url) throws Refused {
        URI uri = parse(url);
        CompletableFuture<Void> checked = registrations.check(uri.getHost());
        try {
            checked.get(registrationDeadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            // the lookup goes on in its thread until the resolver gives up; the registration does not wait for it
            throw new Refused("the receiver's host did not resolve in time (" + registrationDeadline.toMillis()
                    + " ms)");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Refused refused ? refused
                    : new Refused("the host could not be looked up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("the host could not be looked up");
        }
        return uri;
    }

    /** The URL if its form is one tally may send to (scheme, host, no user information or fragment); not resolved. */
    public URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new Refused("the URL cannot be parsed");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused("the URL must be https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new Refused("the URL must name a host, without user information or fragment");
        }
        return uri;
    }

    /**
     * Threads of their own that look names up, {@code threads} at most. {@code queued}: a lookup that finds them all
     * busy waits for one (for a caller that bounds its lookups itself); otherwise it is refused at once.
     */
    public Lookups lookups(String name, int threads, boolean queued) {
        return new Lookups(name, threads, queued);
    }

    /** A bounded set of lookup threads; see {@link #lookups}. */
    public final class Lookups {
        private final ThreadPoolExecutor pool;

        private Lookups(String name, int threads, boolean queued) {
            BlockingQueue<Runnable> waiting = queued ? new LinkedBlockingQueue<>() : new SynchronousQueue<>();
            pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, waiting, task -> {
                Thread t = new Thread(task, name);
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
        }

        /**
         * Looks {@code host} up and checks every address; the future completes, with {@link Refused} if refused, when
         * the lookup has returned and its thread is free again, however long that takes: a caller that cannot wait so
         * long stops waiting, the thread stays taken.
         */
        CompletableFuture<Void> check(String host) throws Busy {
            CompletableFuture<Void> checked = new CompletableFuture<>();
            try {
                pool.execute(() -> {
                    try {
                        addresses(host);
                        checked.complete(null);
                    } catch (Refused e) {
                        checked.completeExceptionally(e);
                    } catch (RuntimeException | Error e) {
                        checked.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException full) {
                throw new Busy();
            }
            return checked;
        }

        void shutdown() {
            pool.shutdownNow();
        }
    }

    /**
     * One answer for a name that does not resolve and one that resolves to an internal address: two answers told an
     * entity key which names the cluster's DNS knows ({@code https://petition-service/}), a map of its services (a
     * read-only review, 8 December 2026).
     */
    static final String NOT_PUBLIC = "the host does not resolve to a public address";

    private List<InetAddress> addresses(String host) throws Refused {
        List<InetAddress> all;
        try {
            all = List.of(resolver.resolve(host));
        } catch (UnknownHostException e) {
            throw new Refused(NOT_PUBLIC);
        }
        if (!allowPrivate) {
            for (InetAddress a : all) {
                if (!isPublic(a)) {
                    throw new Refused(NOT_PUBLIC);
                }
            }
        }
        return all;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            return first != 0                                           // "this network"
                    && !(first == 100 && second >= 64 && second < 128)  // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240;                                     // reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            // an IPv6 address that carries an IPv4 one reaches that IPv4 address, so it is judged by it: the JDK turns
            // only the literal [::ffff:a.b.c.d] into IPv4, and a name whose AAAA record was ::ffff:10.96.0.1 or
            // ::ffff:169.254.169.254 passed this check and was connected to (a read-only review, 6 December 2026)
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                return isPublic(embedded);
            }
            return (b[0] & 0xfe) != 0xfc                                // unique local fc00::/7
                    && !(b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) // NAT64, local use too
                    && !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) // Teredo 2001::/32 (its IPv4 is hidden)
                    && !(b[0] == 0x01 && b[1] == 0x00 && allZero(b, 2, 8)); // discard-only 100::/64
        }
        return false;
    }

    /**
     * The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), well-known NAT64
     * (64:ff9b::/96) or 6to4 (2002::/16) address; null for any other.
     */
    static InetAddress embeddedIpv4(byte[] b) {
        byte[] v4 = null;
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16);
        } else if (allZero(b, 0, 12) && !allZero(b, 12, 16)) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = java.util.Arrays.copyOfRange(b, 2, 6);
        }
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
