package org.w4r.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The demo credentials ./platform writes: principal,role,entity_id,token (entities by id, staff as demo-…). */
public final class Credentials {
    private Credentials() {
    }

    public static Map<String, String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " not found: start the platform first (./platform up)");
        }
        List<String> lines = Files.readAllLines(file);
        Map<String, String> tokens = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (cells.length >= 4) {
                tokens.put(cells[0], cells[3]);
            }
        }
        return tokens;
    }
}
