package org.w4r.petition.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * One mailbox, one signer: the forms of one address that hashed apart, so that one person signed a case twice and a
 * flood escaped its domain's limit (read-only reviews, 6 December 2026), are one key; a plain address is as it was.
 */
class SignerHasherTest {
    private static final String KEY = "a-signer-key-for-this-test-only-7f3a9c21e4b8d605";
    private final SignerHasher hasher = new SignerHasher(KEY);

    @Test
    void formsOfOneMailboxAreOneSigner() {
        assertEquals(hasher.hash("ada@example.org"), hasher.hash(" Ada@Example.ORG. "), "the root's dot");
        assertEquals(hasher.hash("jos\u00e9@example.org"), hasher.hash("jose\u0301@example.org"), "a combining accent (NFD)");
        assertEquals(hasher.hash("ada@b\u00fccher.de"), hasher.hash("ada@xn--bcher-kva.de"), "a punycode domain");
        assertEquals("b\u00fccher.de", SignerHasher.domainOf("ADA@XN--BCHER-KVA.DE."));
        assertEquals(hasher.hashDomain("b\u00fccher.de"), hasher.hashDomain("xn--bcher-kva.de."));
    }

    @Test
    void aPlainAddressIsAsItAlwaysWasAndOthersStayApart() {
        assertEquals("ada.lovelace@example.org", SignerHasher.normalise("  Ada.Lovelace@Example.ORG "));
        assertNotEquals(hasher.hash("ada@example.org"), hasher.hash("ada@example.org.uk"));
        assertNotEquals(hasher.hash("ada@example.org"), hasher.hash("ada.@example.org"), "a dot before the @ is the mailbox's");
    }

    /**
     * A signature stored before 6 December 2026 is under the key of the address trimmed and lower-cased only; an
     * erasure by the address as it was given must find it (review of this change: it was found under neither key).
     */
    @Test
    void anErasureLooksUnderTheKeyAnAddressHadBeforeToo() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String before = java.util.HexFormat.of().formatHex(mac.doFinal("ana@xn--bcher-kva.de."
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(java.util.List.of(hasher.hash("ana@b\u00fccher.de"), before), hasher.hashesOf(" Ana@XN--BCHER-KVA.DE. "));
        assertEquals(java.util.List.of(hasher.hash("ada@example.org")), hasher.hashesOf("Ada@Example.org"),
                "one key where the two normalisations agree");
    }

    @Test
    void aFullWidthOrIdeographicStopAtTheEndIsTheRootsDotToo() {
        assertEquals(hasher.hash("ada@example.org"), hasher.hash("ada@example.org\uff0e"));
        assertEquals(hasher.hash("ada@example.org"), hasher.hash("ada@example.org\u3002"));
    }
}
