package org.w4r.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libraries vendored from npm (no WebJar exists) are exactly the files vendor/README.md records, byte for byte, each
 * package with its licence; the world map's ISO table names every country of the shipped world; the map page writes
 * API values as text.
 */
class VendoredFilesTest {
    static final Path RESOURCES = Path.of("src/main/resources/META-INF/resources");
    static final Path VENDOR = RESOURCES.resolve("vendor");
    static final Pattern FILE_ROW = Pattern.compile("^\\| ([^ |]+) \\| (sha512-[A-Za-z0-9+/=]+) \\|$");
    static final Pattern PACKAGE_ROW = Pattern.compile("^\\| ([a-z0-9-]+) \\| ([0-9][0-9.]*) \\| sha512-[A-Za-z0-9+/=]{86}== \\| [A-Z]+ \\|$");

    @Test
    void everyVendoredFileIsTheOneRecordedAndNothingElseIsThere() throws Exception {
        Map<String, String> recorded = new TreeMap<>();
        TreeSet<String> packages = new TreeSet<>();
        for (String line : Files.readAllLines(VENDOR.resolve("README.md"))) {
            Matcher file = FILE_ROW.matcher(line);
            if (file.matches()) {
                recorded.put(file.group(1), file.group(2));
            }
            Matcher pkg = PACKAGE_ROW.matcher(line);
            if (pkg.matches()) {
                packages.add(pkg.group(1) + "/" + pkg.group(2));
            }
        }
        Map<String, String> present = new TreeMap<>();
        try (Stream<Path> files = Files.walk(VENDOR)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = VENDOR.relativize(f).toString().replace('\\', '/');
                if (!name.equals("README.md")) {
                    present.put(name, sha512(f));
                }
            }
        }
        assertEquals(recorded, present, "vendor/ holds exactly the files vendor/README.md records, with their sha512");
        assertEquals(new TreeSet<>(java.util.List.of("chartjs-chart-geo/4.3.6", "world-atlas/2.0.2")), packages);
        for (String pkg : packages) {
            assertTrue(present.containsKey(pkg + "/LICENSE"), pkg + " ships its licence");
            assertTrue(present.keySet().stream().anyMatch(f -> f.startsWith(pkg + "/") && !f.endsWith("LICENSE")), pkg);
        }
    }

    @Test
    void everyCountryOfTheShippedWorldHasItsAlpha2Code() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode world = json.readTree(VENDOR.resolve("world-atlas/2.0.2/countries-110m.json").toFile());
        JsonNode alpha2 = json.readTree(RESOURCES.resolve("data/iso3166-numeric.json").toFile()).path("alpha2ByNumeric");
        int named = 0;
        TreeSet<String> codes = new TreeSet<>();
        for (JsonNode country : world.path("objects").path("countries").path("geometries")) {
            if (country.hasNonNull("id")) { // three shapes (N. Cyprus, Somaliland, Kosovo) have no ISO code
                String code = alpha2.path(country.get("id").asText()).asText("");
                assertTrue(code.matches("[A-Z]{2}"), country.get("id") + " " + country.path("properties").path("name"));
                codes.add(code);
                named++;
            }
        }
        assertEquals(174, named);
        assertEquals(named, codes.size(), "no two shapes share a code");
        // at 1:110m the smallest states have no shape (Malta, Singapore…): the table beside the map still lists them
        assertFalse(codes.contains("MT"));
        assertTrue(codes.containsAll(java.util.List.of("FR", "BR", "US", "MM", "DZ", "SA")), codes.toString());
    }

    @Test
    void theMapPageWritesApiValuesAsTextAndLoadsOnlyShippedFiles() throws IOException {
        String page = Files.readString(RESOURCES.resolve("js/views/world.js"));
        assertFalse(page.contains("innerHTML") || page.contains("outerHTML") || page.contains("insertAdjacentHTML"));
        assertFalse(page.contains("http:") || page.contains("https:") || page.contains("//cdn"), "no CDN");
        for (Matcher m = Pattern.compile("'((?:vendor|data)/[^']+)'").matcher(page); m.find(); ) {
            assertTrue(Files.isRegularFile(RESOURCES.resolve(m.group(1))), m.group(1));
        }
    }

    private static String sha512(Path file) throws Exception {
        return "sha512-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(file)));
    }
}
