package org.w4r.tally.service;

import io.quarkus.arc.ClientProxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Names whose lookup hangs, as a nameserver that never answers makes it, until {@link #release()}: for the tests of
 * other packages, through {@link ReceiverAddress}'s package-private resolver. JDK 17 has no resolver SPI (JDK 18's
 * {@code InetAddressResolverProvider}), and a real unanswering nameserver would take the whole JVM's lookups with it.
 * After the release a literal address resolves to itself and any other name does not resolve.
 */
public final class HangingNames implements AutoCloseable {
    private final ReceiverAddress target;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicInteger returned = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    private HangingNames(ReceiverAddress target) {
        this.target = target;
    }

    /** From now on the names {@code hanging} takes hang in {@code receivers} (the bean, or its client proxy). */
    public static HangingNames hang(ReceiverAddress receivers, Predicate<String> hanging) {
        HangingNames names = new HangingNames(ClientProxy.unwrap(receivers));
        names.target.resolveWith(host -> {
            if (!hanging.test(host)) {
                return InetAddress.getAllByName(host);
            }
            names.entered.incrementAndGet();
            names.threads.add(Thread.currentThread().getName());
            names.mostInside.accumulateAndGet(names.inside.incrementAndGet(), Math::max);
            try {
                // bounded so that a test that fails before its release leaves no thread behind for the next classes
                names.release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                names.inside.decrementAndGet();
                names.returned.incrementAndGet();
            }
            if (host.matches("[0-9.]+") || host.startsWith("[")) {
                return InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        });
        return names;
    }

    /** Lookups of hanging names begun so far. */
    public int entered() {
        return entered.get();
    }

    /** Lookups of hanging names that have returned (after the release). */
    public int returned() {
        return returned.get();
    }

    /** The most lookups of hanging names under way at once. */
    public int mostAtOnce() {
        return mostInside.get();
    }

    /** The threads hanging names were looked up on. */
    public Set<String> threads() {
        return Set.copyOf(threads);
    }

    /** The hanging lookups answer, and so will any that begin. */
    public void release() {
        release.countDown();
    }

    /** Releases the hanging lookups, and names resolve as the JDK resolves them again. */
    @Override
    public void close() {
        release();
        target.resolveWith(null);
    }
}
