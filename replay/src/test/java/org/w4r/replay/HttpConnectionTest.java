package org.w4r.replay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the load's connection sends a request a second time: only when a kept-alive connection that had carried an
 * exchange was found closed before any byte of an answer (the server closed it while idle, so it never had the
 * request); never after a failure on a new connection, an answer cut off, or the read timeout. Against a server
 * written here on a plain socket, so that each way of failing is exact. (Review of 6 December 2026: every
 * IOException used to be followed by a silent resend.)
 */
class HttpConnectionTest {
    private static final String OK = "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}";

    /** What the server does with request number n (from 1, over all connections). */
    private enum Act { ANSWER, ANSWER_THEN_CLOSE, DROP, CUT, HANG }

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closedIdle = new CountDownLatch(1);
    /** Holds a hanging server's answer until the test ends. */
    private final CountDownLatch released = new CountDownLatch(1);
    private ServerSocket server;

    private URI serve(Act... script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> handle(s, script));
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/ingest");
    }

    private void handle(Socket s, Act[] script) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (readRequest(in)) {
                int n = requests.incrementAndGet();
                switch (script[Math.min(n, script.length) - 1]) {
                    case ANSWER -> out.write(OK.getBytes(StandardCharsets.US_ASCII));
                    case ANSWER_THEN_CLOSE -> {
                        out.write(OK.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        s.close();
                        closedIdle.countDown();
                        return;
                    }
                    case DROP -> {
                        return;
                    }
                    case CUT -> {
                        out.write("HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\n{\"res".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    case HANG -> {
                        released.await(); // no answer while the test runs
                        return;
                    }
                }
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the client went away
        }
    }

    /** Reads one request's head and Content-Length body; false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return false;
            }
            head.write(c);
        }
        String h = head.toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        int at = h.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
        return in.readNBytes(length).length == length;
    }

    @AfterEach
    void stop() throws IOException {
        released.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static byte[] request(URI uri) {
        return HttpConnection.post(uri, "t", "key-1", "{}");
    }

    @Test
    void aKeptAliveConnectionTheServerClosedWhileIdleIsReplacedAndTheRequestSentAgainSaidSo() throws Exception {
        URI uri = serve(Act.ANSWER_THEN_CLOSE, Act.ANSWER);
        try (HttpConnection c = new HttpConnection(uri)) {
            HttpConnection.Reply first = c.exchange(request(uri));
            assertEquals(202, first.status());
            assertFalse(first.resent());
            assertTrue(closedIdle.await(5, TimeUnit.SECONDS));
            // whether the server's FIN or a reset meets the request, no byte of an answer comes: sent again
            HttpConnection.Reply second = c.exchange(request(uri));
            assertEquals(202, second.status());
            assertTrue(second.resent(), "sent again on a new connection, and the answer says so");
        }
        assertEquals(2, requests.get(), "the closed connection never carried the second request to the server");
        assertEquals(2, sockets.size());
    }

    @Test
    void aNewConnectionClosedWithoutAnAnswerIsNotSentAgain() throws Exception {
        URI uri = serve(Act.DROP, Act.ANSWER);
        try (HttpConnection c = new HttpConnection(uri)) {
            assertThrows(IOException.class, () -> c.exchange(request(uri)));
        }
        // counted as it was read, before the server dropped it: a second send would be counted before exchange returned
        assertEquals(1, requests.get(), "the server had it: it may have acted on it");
    }

    @Test
    void anAnswerCutOffAfterItsFirstBytesIsNotSentAgainEvenOnAKeptAliveConnection() throws Exception {
        URI uri = serve(Act.ANSWER, Act.CUT, Act.ANSWER);
        try (HttpConnection c = new HttpConnection(uri)) {
            assertEquals(202, c.exchange(request(uri)).status());
            assertThrows(IOException.class, () -> c.exchange(request(uri)));
        }
        assertEquals(2, requests.get());
    }

    @Test
    void theReadTimeoutOnAKeptAliveConnectionIsNotSentAgain() throws Exception {
        URI uri = serve(Act.ANSWER, Act.HANG, Act.ANSWER);
        try (HttpConnection c = new HttpConnection(uri, 300)) {
            assertEquals(202, c.exchange(request(uri)).status());
            assertThrows(SocketTimeoutException.class, () -> c.exchange(request(uri)));
        }
        assertEquals(2, requests.get(), "a slow server has the request: sending it again would count it twice");
    }
}
