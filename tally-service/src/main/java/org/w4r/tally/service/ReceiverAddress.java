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
