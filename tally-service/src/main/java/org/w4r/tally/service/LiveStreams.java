package org.w4r.tally.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.security.TokenDirectory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The open live streams of this instance: at most {@code w4r.stream.max-per-principal} per staff principal (a stream
 * holds a connection and a listener, so one credential must not open thousands), and each ended within a recheck
 * interval once the credential that opened it is revoked, expired or no longer staff.
 */
@ApplicationScoped
public class LiveStreams {
    private static final Logger LOG = Logger.getLogger(LiveStreams.class);

    @Inject
    TokenDirectory tokens;

    @Inject
    StreamSettings settings;

    /** Staff sign in at the IdP only when OIDC is on (service-kit's default: off). */
    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidc;

    private final Map<String, Integer> openByPrincipal = new HashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService checker;

    /** One open stream. Given to the stream as the place to register how it is ended. */
    public final class Session implements Consumer<Runnable> {
        private final String principal;
        private final StreamTicketService.Grant grant;
        private Runnable end;
        private boolean ended;
        private boolean released;

        private Session(String principal, StreamTicketService.Grant grant) {
            this.principal = principal;
            this.grant = grant;
        }

        @Override
        public synchronized void accept(Runnable end) {
            this.end = end;
            if (ended) {
                end.run();
            }
        }

        synchronized void end() {
            ended = true;
            if (end != null) {
                end.run();
            }
        }

        /** The stream has ended (client gone, credential revoked): frees its place under the cap. */
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            sessions.remove(this);
            synchronized (openByPrincipal) {
                openByPrincipal.computeIfPresent(principal, (p, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    void start(@Observes StartupEvent event) {
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-stream-credentials");
            t.setDaemon(true);
            return t;
        });
        long ms = settings.recheckInterval().toMillis();
        checker.scheduleWithFixedDelay(this::recheck, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    /** Counts a new stream for {@code principal}, or refuses it with 429 when the principal has its maximum open. */
    public Session open(String principal, StreamTicketService.Grant grant) {
        synchronized (openByPrincipal) {
            int open = openByPrincipal.getOrDefault(principal, 0);
            if (open >= settings.maxPerPrincipal()) {
                throw new ProblemException(Problem.of(429, "too-many-streams", "Too many streams",
                        "this credential already has " + open + " live streams open here; close one first")
                        .with("limit", settings.maxPerPrincipal()));
            }
            openByPrincipal.put(principal, open + 1);
        }
        Session session = new Session(principal, grant);
        sessions.add(session);
        return session;
    }

    /** Ends every stream whose credential no longer lets it read the totals. */
    void recheck() {
        for (Session session : sessions) {
            try {
                if (!allowed(session.grant)) {
                    session.end();
                }
            } catch (RuntimeException e) {
                // one stream that fails to end must not stop the checks of the others
                LOG.warnf("cannot end a live stream (%s)", e.getClass().getSimpleName());
            }
        }
    }

    public boolean allowed(StreamTicketService.Grant grant) {
        return caller(grant).filter(c -> Roles.isStaff(c.role())).isPresent();
    }

    /**
     * Who {@code grant} stands for now: empty once its credential is revoked or expired, or its sign-in has ended. With
     * OIDC off nobody signs in at an IdP, so a ticket of a sign-in was not issued by this platform as configured: empty
     * (it opened a stream until the review of 4 December 2026).
     */
    public Optional<Caller> caller(StreamTicketService.Grant grant) {
        if (grant.tokenSha256() != null) {
            return tokens.findBySha256(grant.tokenSha256());
        }
        return oidc && Instant.now().isBefore(grant.signedInUntil())
                ? Optional.of(new Caller(grant.principal(), grant.role(), null, null)) : Optional.empty();
    }

    public int openCount() {
        return sessions.size();
    }
}
