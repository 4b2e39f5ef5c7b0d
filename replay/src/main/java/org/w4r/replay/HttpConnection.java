package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection, written by hand for the load mode: the JDK's HttpClient costs so much CPU
 * per request that, on two cores shared with everything it measures, the load generator itself became the limit
 * (about 1,700 requests/s against an endpoint that does nothing). This sends pre-built request bytes and reads
 * the status, the headers and a Content-Length or chunked body; only a refusal's body is kept (its problem type).
 */
final class HttpConnection implements AutoCloseable {
    /** Larger refusal bodies are skipped unread: a problem+json is far smaller. */
    private static final int MAX_KEPT_BODY = 16_384;

    /**
     * What the client needs of an answer: the status, whether it replays a stored one (Idempotent-Replayed), and
     * for a refusal its problem type ("" when none) and how long the server asks to wait (Retry-After, or the
     * problem's retryAfterSeconds; -1 when it does not say).
     */
    record Reply(int status, boolean replayed, String problemType, long retryAfterSeconds) {
    }

    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI uri) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** A POST with a JSON body and an Idempotency-Key, as bytes ready to send on any connection to that host. */
    static byte[] post(URI uri, String bearer, String idempotencyKey, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer " + bearer + "\r\n" + Api.IDEMPOTENCY_KEY + ": " + idempotencyKey
                + "\r\nContent-Type: application/json\r\nAccept: application/json"
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        return request;
    }

    /** Sends the request and reads the whole answer. Reconnects once if the connection was closed. */
    Reply exchange(byte[] request) throws IOException {
        try {
            return attempt(request);
        } catch (IOException stale) {
            close();
            return attempt(request);
        }
    }

    private Reply attempt(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(120_000);
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = new BufferedOutputStream(socket.getOutputStream(), 16_384);
        }
        out.write(request);
        out.flush();
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("no HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1, retryAfter = -1;
        boolean chunked = false, close = false, replayed = false;
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "idempotent-replayed" -> replayed = value.equalsIgnoreCase("true");
                case "retry-after" -> retryAfter = value.matches("\\d+") ? Long.parseLong(value) : -1;
                default -> { }
            }
        }
        boolean keep = code / 100 != 2;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                body(size, keep, body);
                line();
            }
            while (!line().isEmpty()) { // trailers
            }
        } else if (length > 0) {
            body(length, keep, body);
        }
        if (close) {
            close();
        }
        if (!keep) {
            return new Reply(code, replayed, "", -1);
        }
        JsonNode problem = problem(body.toString(StandardCharsets.UTF_8));
        String type = problem.path("type").asText("");
        long hinted = problem.path("retryAfterSeconds").asLong(-1);
        return new Reply(code, replayed, type.substring(type.lastIndexOf('/') + 1), retryAfter >= 0 ? retryAfter : hinted);
    }

    /** A refusal's problem+json, or an empty object when the body is not JSON (the ceiling's 503 has none). */
    private static JsonNode problem(String body) {
        try {
            JsonNode node = Json.read(body);
            return node.isObject() ? node : Json.object();
        } catch (IllegalStateException notJson) {
            return Json.object();
        }
    }

    private void body(long size, boolean keep, ByteArrayOutputStream kept) throws IOException {
        if (!keep || kept.size() + size > MAX_KEPT_BODY) {
            skip(size);
            return;
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length < size) {
            throw new IOException("connection closed in a body");
        }
        kept.write(bytes);
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in a body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
