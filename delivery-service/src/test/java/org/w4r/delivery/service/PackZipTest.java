package org.w4r.delivery.service;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The same pack gives the same ZIP, whatever the JVM's time zone: the entries' times were converted through the
 * default zone, so two instances in different zones, or one either side of a DST change, wrote different bytes for
 * one handover (a read-only review, 8 December 2026).
 */
class PackZipTest {
    @Test
    void theSamePackIsTheSameZipInEveryTimeZone() {
        Map<String, byte[]> files = Map.of("pack.pdf", "%PDF-1.7 a pack".getBytes(StandardCharsets.UTF_8));
        Instant dated = Instant.parse("2026-12-10T23:30:00Z");
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            byte[] utc = PackZip.zip(files, dated);
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            assertArrayEquals(utc, PackZip.zip(files, dated), "Auckland");
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
            assertArrayEquals(utc, PackZip.zip(files, dated), "Los Angeles");
        } finally {
            TimeZone.setDefault(before);
        }
    }
}
