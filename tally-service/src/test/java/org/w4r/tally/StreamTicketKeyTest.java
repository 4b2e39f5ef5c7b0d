package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.WithPlatformResources;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tally does not start with the stream-ticket key the repository's own examples publish ({@code deploy/compose/
 * .env.example}, the Kubernetes example overlay): whoever knows the key seals a ticket for any staff member or
 * sign-in, and the placeholder was accepted like any key of 32 characters (review, 4 December 2026). The check runs in
 * every profile, this one included; the other tests start because they set no key (each instance then draws its own).
 */
@QuarkusMainTest
@TestProfile(StreamTicketKeyTest.ExampleKey.class)
@WithPlatformResources
class StreamTicketKeyTest {
    static final String PLACEHOLDER = "change-me-to-32-or-more-random-characters-too";

    public static class ExampleKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a start that succeeds ends at once, so the test fails rather than waits
            return Map.of("w4r.stream.ticket-key", PLACEHOLDER, "w4r.test.exit-once-started", "true");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void theExamplesPlaceholderKeyStopsTheStartNamingTheSettingNotItsValue(LaunchResult result) {
        String said = result.getOutput() + "\n" + result.getErrorOutput();
        assertTrue(said.contains("w4r.stream.ticket-key is still the example's placeholder"), said);
        assertFalse(said.contains(PLACEHOLDER), "the key's value is never told");
    }
}
