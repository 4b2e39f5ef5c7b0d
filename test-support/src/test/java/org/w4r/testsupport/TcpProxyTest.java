package org.w4r.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The proxy's "cut the answer to this command" against an echo server: each line a client sends comes back unless the
 * proxy cuts it. The outage tests of every service rest on it cutting the one commit they name, and no other.
 */
class TcpProxyTest {
    private static final byte[] COMMIT = bytes("COMMIT");
    private static final byte[] INSERT = bytes("insert into case_file");

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        byte[] buffer = new byte[1024];
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            for (int n; (n = in.read(buffer)) >= 0; ) {
                                out.write(buffer, 0, n);
                                out.flush();
                            }
                        } catch (IOException closed) {
                            // the proxy cut it
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
        proxy = new TcpProxy("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void theCommitAfterTheNamedWriteIsCutOnceItsAnswerComesBack() throws IOException {
        proxy.cutOnReplyTo(COMMIT, INSERT);
        try (Client c = new Client()) {
            assertEquals("insert into case_file", c.send("insert into case_file"));
            assertNull(c.send("COMMIT"), "the answer to the COMMIT never reaches the client");
        }
        assertEquals(1, proxy.cutsOnReply());
    }

    @Test
    void aCommitWithoutTheNamedWriteIsNotCut() throws IOException {
        proxy.cutOnReplyTo(COMMIT, INSERT);
        try (Client c = new Client()) {
            assertEquals("insert into case_hold", c.send("insert into case_hold"));
            assertEquals("COMMIT", c.send("COMMIT"));
        }
        assertEquals(0, proxy.cutsOnReply());
    }

    /** A pooled connection's refused insert (then ROLLBACK) must not mark the next transaction on it. */
    @Test
    void aRollbackStartsOver() throws IOException {
        proxy.cutOnReplyTo(COMMIT, INSERT);
        try (Client c = new Client()) {
            assertEquals("insert into case_file", c.send("insert into case_file"));
            assertEquals("ROLLBACK", c.send("ROLLBACK"));
            assertEquals("insert into case_hold", c.send("insert into case_hold"));
            assertEquals("COMMIT", c.send("COMMIT"), "another transaction's COMMIT");
            // the trigger is still armed for the transaction it names
            assertEquals("insert into case_file", c.send("insert into case_file"));
            assertNull(c.send("COMMIT"));
        }
        assertEquals(1, proxy.cutsOnReply());
    }

    /** The named write counts only under the trigger it was sent under: not one armed earlier and replaced. */
    @Test
    void aWriteSentBeforeTheTriggerWasArmedDoesNotArmIt() throws IOException {
        proxy.cutOnReplyTo(bytes("never sent"), INSERT);
        try (Client c = new Client()) {
            assertEquals("insert into case_file", c.send("insert into case_file"));
            proxy.cutOnReplyTo(COMMIT, INSERT);
            assertEquals("COMMIT", c.send("COMMIT"), "its write was sent before this trigger");
        }
        assertEquals(0, proxy.cutsOnReply());
    }

    /**
     * A frozen network closes nothing and answers nothing: the open connection neither echoes nor ends (its read
     * times out, where a cut one reads the end or a reset), a new one is held, and after {@link TcpProxy#resume()}
     * the new one talks while the frozen one stays silent.
     */
    @Test
    void aFrozenConnectionStaysOpenAndSilentForGood() throws Exception {
        try (Client before = new Client(); Client other = new Client()) {
            assertEquals("ping", before.send("ping"));
            proxy.freeze();
            before.socket.setSoTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, () -> before.send("after"), "no answer and no end");
            java.util.concurrent.CompletableFuture<String> held = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (Client during = new Client()) {
                    return during.send("held");
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            other.socket.setSoTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, () -> other.send("x"));
            assertFalse(held.isDone(), "a connection made while frozen is not answered");
            proxy.resume();
            assertEquals("held", held.get(10, java.util.concurrent.TimeUnit.SECONDS), "answered once the network is back");
            try (Client after = new Client()) {
                assertEquals("pong", after.send("pong"));
            }
            assertThrows(java.net.SocketTimeoutException.class, () -> before.send("again"), "its server is gone");
        }
    }

    /** One line out, its echo back (null when the connection was cut first). */
    private final class Client implements AutoCloseable {
        private final Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        private final InputStream in = socket.getInputStream();
        private final OutputStream out = socket.getOutputStream();

        Client() throws IOException {
            socket.setSoTimeout(10_000);
        }

        String send(String line) throws IOException {
            out.write(bytes(line));
            out.flush();
            byte[] answer = new byte[line.length()];
            int read = 0;
            try {
                while (read < answer.length) {
                    int n = in.read(answer, read, answer.length - read);
                    if (n < 0) {
                        return null;
                    }
                    read += n;
                }
            } catch (java.net.SocketException reset) {
                return null;
            }
            return new String(answer, StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
