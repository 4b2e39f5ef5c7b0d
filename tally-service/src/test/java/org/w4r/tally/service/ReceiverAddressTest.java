package org.w4r.tally.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The SSRF check as production configures it (no http, no internal address): an entity cannot point tally at
 * loopback, the cluster, the cloud's metadata service or any other internal address. Address literals only, so the
 * test needs no DNS; a name is checked by what it resolves to, the same way.
 */
class ReceiverAddressTest {
    static ReceiverAddress production() {
        ReceiverAddress check = new ReceiverAddress(false, false);
        return check;
    }

    @Test
    void internalAddressesAndPlainHttpAreRefused() {
        ReceiverAddress check = production();
        for (String url : List.of(
                "http://93.184.215.14/hook",              // public, but not https
                "https://127.0.0.1/hook", "https://127.1.2.3:8443/hook", "https://[::1]/hook", "https://localhost/hook",
                "https://10.0.0.5/hook", "https://172.16.3.4/hook", "https://192.168.1.1/hook",
                "https://169.254.169.254/latest/meta-data/",  // the cloud's metadata service
                "https://100.64.0.1/hook", "https://0.0.0.0/hook", "https://[::]/hook", "https://[fd00::1]/hook",
                "https://[fe80::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://224.0.0.1/hook",
                "https://255.255.255.255/hook",
                "ftp://93.184.215.14/hook", "https://user:pw@93.184.215.14/hook", "https://93.184.215.14/hook#x",
                "https:///hook", "not a url")) {
            assertThrows(ReceiverAddress.Refused.class, () -> check.check(url), url);
        }
    }

    @Test
    void aPublicHttpsAddressIsTaken() {
        ReceiverAddress check = production();
        assertDoesNotThrow(() -> check.check("https://93.184.215.14/hook"));
        assertDoesNotThrow(() -> check.check("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/w4r?site=fr"));
    }

    /**
     * What a name's AAAA record can say: the resolver hands the JDK an Inet6Address for an IPv4-mapped address (only a
     * literal in a URL is turned into IPv4), and the connection goes to the IPv4 address inside. Until a read-only
     * review (6 December 2026) ::ffff:169.254.169.254 from DNS passed as public; so did NAT64 and 6to4 forms.
     */
    @Test
    void anIpv6AddressCarryingAnInternalIpv4OneIsInternal() throws Exception {
        for (String v6 : List.of("::ffff:127.0.0.1", "::ffff:10.96.0.1", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
                "::7f00:1", "::a00:5", "64:ff9b::10.0.0.5", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:5",
                "2002:a00:5::1", "2002:a9fe:a9fe::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "100::1")) {
            java.net.Inet6Address address = java.net.Inet6Address.getByAddress(null,
                    java.net.InetAddress.getByName(v6).getAddress().length == 16
                            ? java.net.InetAddress.getByName(v6).getAddress() : mapped(v6), -1);
            org.junit.jupiter.api.Assertions.assertFalse(ReceiverAddress.isPublic(address), v6);
        }
        for (String v6 : List.of("::ffff:93.184.215.14", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1",
                "2606:2800:21f:cb07:6820:80da:af6b:8b2c")) {
            java.net.Inet6Address address = java.net.Inet6Address.getByAddress(null,
                    java.net.InetAddress.getByName(v6).getAddress().length == 16
                            ? java.net.InetAddress.getByName(v6).getAddress() : mapped(v6), -1);
            org.junit.jupiter.api.Assertions.assertTrue(ReceiverAddress.isPublic(address), v6);
        }
    }

    /** The 16 bytes of ::ffff:a.b.c.d, which the JDK's parser hands back as the 4 of a.b.c.d. */
    private static byte[] mapped(String v6) throws Exception {
        byte[] v4 = java.net.InetAddress.getByName(v6).getAddress();
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    @Test
    void theSettingsOpenHttpAndInternalAddressesForALocalReceiver() {
        ReceiverAddress check = new ReceiverAddress(true, true);
        assertDoesNotThrow(() -> check.check("http://127.0.0.1:8089/hook"));
        assertThrows(ReceiverAddress.Refused.class, () -> check.check("ftp://127.0.0.1/hook"));
    }

    /**
     * A registration's lookup that hangs is refused at the deadline, its thread still taken; once every thread is, the
     * next is {@link ReceiverAddress.Busy} at once, its name never looked up: the caller's thread is held for the
     * deadline at most, and only while a lookup thread is free (a read-only review, 6 December 2026).
     */
    @Test
    void aHangingLookupIsRefusedAtTheDeadlineAndOnceEveryThreadHangsTheNextAtOnce() {
        ReceiverAddress check = new ReceiverAddress(true, true, java.time.Duration.ofMillis(200), 2);
        try (HangingNames names = HangingNames.hang(check, host -> host.endsWith(".hang.test"))) {
            for (int i = 0; i < 2; i++) {
                String url = "http://n" + i + ".hang.test/hook";
                ReceiverAddress.Refused late = assertThrows(ReceiverAddress.Refused.class, () -> check.check(url));
                org.junit.jupiter.api.Assertions.assertEquals("the receiver's host did not resolve in time (200 ms)",
                        late.getMessage());
            }
            assertThrows(ReceiverAddress.Busy.class, () -> check.check("http://n2.hang.test/hook"));
            assertThrows(ReceiverAddress.Busy.class, () -> check.check("http://127.0.0.1/hook"));
            org.junit.jupiter.api.Assertions.assertEquals(2, names.entered(), "names looked up");
        }
    }
}
