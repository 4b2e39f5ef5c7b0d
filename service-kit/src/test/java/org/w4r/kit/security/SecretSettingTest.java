package org.w4r.kit.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretSettingTest {
    @Test
    void theRepositorysOwnPlaceholdersAreRefusedWithoutTheirValueInTheMessage() {
        for (String placeholder : new String[]{"change-me-to-32-or-more-random-characters",
                "change-me-to-32-or-more-random-characters-too", "CHANGE_ME_please_0123456789abcdefghij"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SecretSetting.require("w4r.x.key", placeholder, 32));
            assertTrue(e.getMessage().startsWith("w4r.x.key is still the example's placeholder"), e.getMessage());
            assertFalse(e.getMessage().contains(placeholder), "the value is never in the message");
        }
    }

    @Test
    void shortMissingOrPatternedKeysAreRefused() {
        assertThrows(IllegalStateException.class, () -> SecretSetting.require("k", null, 32));
        assertThrows(IllegalStateException.class, () -> SecretSetting.require("k", "  ", 32));
        assertThrows(IllegalStateException.class, () -> SecretSetting.require("k", "Xq3!pL9zR2", 32));
        assertThrows(IllegalStateException.class, () -> SecretSetting.require("k", "ab".repeat(20), 32));
    }

    @Test
    void aGeneratedKeyPasses() {
        String generated = "q5Vh2K0a9nR+Zb3LwT7yPd1sXe6MfU4cJg8oIiAk"; // what `head -c 30 /dev/urandom | base64` gives
        assertEquals(generated, SecretSetting.require("k", generated, 32));
    }
}
