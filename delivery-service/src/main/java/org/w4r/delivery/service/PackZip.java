package org.w4r.delivery.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The ZIP beside the pack: the PDF, the same data as CSV (the list, the counts) and SHA256SUMS, which
 * {@code sha256sum -c SHA256SUMS} checks. Every entry is dated at the handover's record time, so the same pack
 * gives the same ZIP.
 */
final class PackZip {
    private PackZip() {
    }

    static byte[] zip(Map<String, byte[]> files, Instant dated) {
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        StringBuilder sums = new StringBuilder();
        files.forEach((name, bytes) -> sums.append(PackService.sha256(bytes)).append("  ").append(name).append('\n'));
        all.put("SHA256SUMS", sums.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : all.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                // the time as UTC's wall clock, written as is: setTime and setLastModifiedTime convert through the
                // JVM's default zone, so instances in two zones (or either side of a DST change) wrote different
                // bytes for the same pack (a read-only review, 8 December 2026)
                entry.setTimeLocal(java.time.LocalDateTime.ofInstant(dated, java.time.ZoneOffset.UTC));
                zip.putNextEntry(entry);
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pack's ZIP", e);
        }
        return out.toByteArray();
    }
}
