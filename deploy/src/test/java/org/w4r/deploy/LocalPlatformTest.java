package org.w4r.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The settings {@code ./platform up} starts each service with ({@code deploy/local/<service>.properties}). */
class LocalPlatformTest {
    /**
     * Quarkus listens on every interface unless told otherwise, and {@code ./platform} ran every service so: the APIs,
     * the staff UI and {@code /q/} on every network the machine joined, where compose publishes on the loopback only
     * (a read-only review, 6 December 2026). {@code W4R_BIND} opts in to another address, as it does for compose.
     */
    @Test
    void everyServiceListensOnTheLoopbackUnlessW4rBindSaysOtherwise() throws IOException {
        for (String service : Repo.DEPLOYED) {
            Properties local = new Properties();
            try (Reader reader = Files.newBufferedReader(Repo.DEPLOY.resolve("local/" + service + ".properties"))) {
                local.load(reader);
            }
            assertEquals("${W4R_BIND:127.0.0.1}", local.getProperty("quarkus.http.host"), service + " under ./platform");
        }
    }
}
