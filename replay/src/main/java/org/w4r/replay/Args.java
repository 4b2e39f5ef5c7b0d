package org.w4r.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * --name value options, each with a default, and --name flags (no value: "true" when given, else "false"); an
 * unknown option is an error, not silently ignored.
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(List<String> args, Map<String, String> defaults) {
        this(args, defaults, Set.of());
    }

    Args(List<String> args, Map<String, String> defaults, Set<String> flags) {
        values.putAll(defaults);
        flags.forEach(f -> values.put(f, "false"));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && flags.contains(a.substring(2))) {
                values.put(a.substring(2), "true");
                continue;
            }
            if (!a.startsWith("--") || !defaults.containsKey(a.substring(2)) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + a + "; options: "
                        + new java.util.TreeSet<>(defaults.keySet()) + (flags.isEmpty() ? "" : ", flags: " + new java.util.TreeSet<>(flags)));
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

    boolean flag(String name) {
        return Boolean.parseBoolean(get(name));
    }

    double decimal(String name) {
        return Double.parseDouble(get(name));
    }
}
