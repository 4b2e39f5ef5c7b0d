package org.w4r.replay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 * the status, the headers and a Content-Length or chunked body, and nothing else.
 */
final class HttpConnection implements AutoCloseable {
    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI uri) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** A POST with a JSON body, as bytes ready to send on any connection to that host. */
    static byte[] post(URI uri, String bearer, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer " + bearer + "\r\nContent-Type: application/json\r\nAccept: application/json"
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        return request;
    }

    /** Sends the request and reads the whole answer; returns its status. Reconnects once if the connection was closed. */
    int exchange(byte[] request) throws IOException {
        try {
            return attempt(request);
        } catch (IOException stale) {
            close();
            return attempt(request);
        }
    }

    private int attempt(byte[] request) throws IOException {
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
        long length = -1;
        boolean chunked = false, close = false;
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                skip(size);
                line();
            }
            while (!line().isEmpty()) { // trailers
            }
        } else if (length > 0) {
            skip(length);
        }
        if (close) {
            close();
        }
        return code;
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
