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
import java.net.SocketTimeoutException;
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
     * What the client needs of an answer: the status, whether it replays a stored one (Idempotent-Replayed), for a
     * refusal its problem type ("" when none) and how long the server asks to wait (Retry-After, or the problem's
     * retryAfterSeconds; -1 when it does not say), and whether the request had to be sent again on a new connection
     * because its kept-alive one turned out closed ({@link #exchange}).
     */
    record Reply(int status, boolean replayed, String problemType, long retryAfterSeconds, boolean resent) {
    }

    /** No byte of an answer came: the connection was closed or reset before (or while) the request was written. */
    private static final class NoAnswer extends IOException {
        NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final InetSocketAddress address;
    private final int readTimeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Whether this socket has carried a whole exchange: only then can the server have closed it as idle. */
    private boolean used;

    HttpConnection(URI uri) {
        this(uri, 120_000);
    }

    HttpConnection(URI uri, int readTimeoutMillis) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.readTimeoutMillis = readTimeoutMillis;
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

    /**
     * Sends the request and reads the whole answer. Sent a second time, on a new connection, only in the one case
     * where the server cannot have seen it: a kept-alive connection that had carried an exchange before was found
     * closed or reset before any byte of an answer came (the server closed it while idle). The answer then says
     * {@code resent}. Any other failure (a connection that fails on its first use, an answer cut off after its first
     * byte, the read timeout) is thrown: the request may have been acted on, and whether to send it again is the
     * caller's to decide and count.
     * <p>
     * Review of 6 December 2026: this used to send the same bytes again after any IOException (a reset, a close
     * mid-answer, even the 120 s timeout), so the load counted a resent request's 2xx as answered the first time.
     */
    Reply exchange(byte[] request) throws IOException {
        boolean reused = socket != null && used;
        try {
            return attempt(request);
        } catch (NoAnswer stale) {
            close();
            if (!reused) {
                throw stale;
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        try {
            Reply again = attempt(request);
            return new Reply(again.status(), again.replayed(), again.problemType(), again.retryAfterSeconds(), true);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Reply attempt(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(readTimeoutMillis);
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = new BufferedOutputStream(socket.getOutputStream(), 16_384);
        }
        try {
            out.write(request);
            out.flush();
            in.mark(1);
            if (in.read() < 0) {
                throw new NoAnswer("connection closed before any byte of an answer", null);
            }
            in.reset();
        } catch (SocketTimeoutException slow) {
            throw slow; // the server has the request and is slow: not a stale connection
        } catch (NoAnswer closed) {
            throw closed;
        } catch (IOException reset) {
            throw new NoAnswer("connection failed before any byte of an answer: " + reset, reset);
        }
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
        } else {
            used = true;
        }
        if (!keep) {
            return new Reply(code, replayed, "", -1, false);
        }
        JsonNode problem = problem(body.toString(StandardCharsets.UTF_8));
        String type = problem.path("type").asText("");
        long hinted = problem.path("retryAfterSeconds").asLong(-1);
        return new Reply(code, replayed, type.substring(type.lastIndexOf('/') + 1), retryAfter >= 0 ? retryAfter : hinted,
                false);
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
        used = false;
    }
}
