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

    @Test
    void theSettingsOpenHttpAndInternalAddressesForALocalReceiver() {
        ReceiverAddress check = new ReceiverAddress(true, true);
        assertDoesNotThrow(() -> check.check("http://127.0.0.1:8089/hook"));
        assertThrows(ReceiverAddress.Refused.class, () -> check.check("ftp://127.0.0.1/hook"));
    }
}
