package org.w4r.cases;

import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tokens from the demo credentials file case-service wrote at start-up. */
final class DemoCredentials {
    private DemoCredentials() {
    }

    static String token(String principal) {
        Path file = ConfigProvider.getConfig().getValue("w4r.demo.credentials-file", Path.class);
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(principal + ","))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + principal + " in " + file))
                    .split(",")[3];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every demo credential: each staff role's token and each entity's key. */
    static List<String> all() {
        Path file = ConfigProvider.getConfig().getValue("w4r.demo.credentials-file", Path.class);
        try {
            return Files.readAllLines(file).stream().map(l -> l.split(",")).filter(f -> f.length > 3 && !"token".equals(f[3]))
                    .map(f -> f[3]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String caseManager() {
        return token("demo-case-manager");
    }

    static String coordinator() {
        return token("demo-coordinator");
    }
}
