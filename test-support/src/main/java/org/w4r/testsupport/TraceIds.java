package org.w4r.testsupport;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** W3C trace context ids as a caller (an entity's website, a producer) would send them. */
public final class TraceIds {
    private TraceIds() {
    }

    /** A random id of {@code bytes} bytes in lower-case hex: 16 for a trace id, 8 for a span id. */
    public static String random(int bytes) {
        byte[] id = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(id);
        } while (id[0] == 0); // an all-zero id is invalid; a leading non-zero byte rules it out
        return HexFormat.of().formatHex(id);
    }

    /** A sampled {@code traceparent} header whose parent is {@code spanId} in {@code traceId}. */
    public static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }
}
