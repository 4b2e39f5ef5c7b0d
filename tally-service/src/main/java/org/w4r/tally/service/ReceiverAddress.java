package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where tally may send a webhook: an https URL (http only where {@code w4r.webhooks.allow-http} says so, for a local
 * receiver in development and tests) whose host resolves only to public addresses, so an entity cannot make tally call
 * into the cluster, the cloud's metadata service or loopback (SSRF). Checked at registration and again before every
 * attempt: the name may have been re-pointed since (DNS rebinding); every address it resolves to must pass, and the
 * connection that follows takes its address from the JDK's cache of the lookup just checked (30 s).
 */
@ApplicationScoped
public class ReceiverAddress {
    private boolean allowHttp;
    private boolean allowPrivate;

    @Inject
    ReceiverAddress(WebhookSettings settings) {
        this(settings.allowHttp(), settings.allowPrivateAddresses());
    }

    ReceiverAddress(boolean allowHttp, boolean allowPrivate) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
    }

    /** Why an address is refused, in words an entity developer can act on (no address is echoed). */
    public static class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /** The parsed URL, or why it is refused. */
    public URI check(String url) throws Refused {
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
        addresses(uri.getHost());
        return uri;
    }

    private List<InetAddress> addresses(String host) throws Refused {
        List<InetAddress> all;
        try {
            all = List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new Refused("the host does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : all) {
                if (!isPublic(a)) {
                    throw new Refused("the host resolves to a loopback, private, link-local or otherwise internal address");
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
            return (b[0] & 0xfe) != 0xfc;                               // unique local fc00::/7
        }
        return false;
    }
}
