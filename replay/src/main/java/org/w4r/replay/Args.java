package org.w4r.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** --name value options, each with a default; an unknown option is an error, not silently ignored. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(List<String> args, Map<String, String> defaults) {
        values.putAll(defaults);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || !defaults.containsKey(a.substring(2)) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + a + "; options: " + defaults.keySet());
            }
            values.put(a.substring(2), args.get(++i));
        }
    }

    String get(String name) {
        return values.get(name);
    }

    int integer(String name) {
        return Integer.parseInt(get(name));
    }

    long number(String name) {
        return Long.parseLong(get(name));
    }

    double decimal(String name) {
        return Double.parseDouble(get(name));
    }
}
