package org.w4r.ui.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.w4r.ui.config.StaffSignIn;
import org.w4r.ui.config.UiConfig;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A strict Content-Security-Policy on every response except Quarkus' own /q/ pages: scripts and styles only from this
 * origin, so a message that slipped into the page as HTML still could not run. The page may call the four APIs (their
 * origins, from the config) and, when staff sign in through OIDC, the identity provider (discovery and the token
 * endpoint are fetched from the page). Nothing may frame it.
 */
@ApplicationScoped
public class SecurityHeaders {
    void register(@Observes Filters filters, UiConfig config, StaffSignIn signIn) {
        String policy = policy(config, signIn.connectOrigins());
        filters.register(rc -> {
            if (!rc.normalizedPath().startsWith("/q/")) {
                rc.response().headers()
                        .set("Content-Security-Policy", policy)
                        .set("X-Content-Type-Options", "nosniff")
                        .set("Referrer-Policy", "no-referrer");
            }
            rc.next();
        }, 100);
    }

    static String policy(UiConfig config, List<String> signInOrigins) {
        Set<String> connect = new LinkedHashSet<>(List.of("'self'"));
        for (String url : List.of(config.caseServiceUrl(), config.petitionServiceUrl(), config.tallyServiceUrl(),
                config.deliveryServiceUrl())) {
            connect.add(origin(url));
        }
        signInOrigins.forEach(url -> connect.add(origin(url)));
        // img-src without data: nothing on the page is a data: image (the charts are canvases, the downloads blob:
        // links, which img-src does not govern), and a source nothing uses is one more for injected markup
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                + "connect-src " + String.join(" ", connect) + "; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors 'none'";
    }

    /** scheme://host[:port] of a URL: CSP source expressions are origins, not paths. */
    static String origin(String url) {
        URI u = URI.create(url.trim());
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
