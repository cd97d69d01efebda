package dev.ofswitch.ofswitch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A controller for tests: a listening socket on 127.0.0.1 (plain, or TLS requiring a client certificate) whose
 * accepted connections the test drives as {@link OfClient}s, so it can answer, stay silent, stop reading or hang up
 * at will. Accepting waits at most {@link OfClient#TIMEOUT_MILLIS} (a deadline, not a sleep).
 */
final class TestController implements AutoCloseable {
    private final ServerSocket server;
    private final List<OfClient> accepted = new ArrayList<>();

    private TestController(ServerSocket server) throws IOException {
        this.server = server;
        server.setSoTimeout(OfClient.TIMEOUT_MILLIS);
    }

    /** Listens on {@code port} of 127.0.0.1 (0: any free port). */
    static TestController listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new TestController(s);
    }

    /** Listens with TLS on {@code port} of 127.0.0.1, requiring the switch's certificate. */
    static TestController listenTls(int port, SSLContext tls) throws IOException {
        SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        s.setNeedClientAuth(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new TestController(s);
    }

    /** A free TCP port on 127.0.0.1 that nothing listens on (a dead controller's). */
    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String target() {
        return "tcp:127.0.0.1:" + port();
    }

    /** Waits for the switch to connect, then exchanges HELLO at {@code version}. */
    OfClient accept(int version) throws IOException {
        OfClient c = OfClient.over(acceptSocket(), version);
        accepted.add(c);
        return c;
    }

    /** Waits for the switch to connect and says nothing. */
    Socket acceptSocket() throws IOException {
        try {
            Socket s = server.accept();
            s.setSoTimeout(OfClient.TIMEOUT_MILLIS);
            return s;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the switch did not connect within " + OfClient.TIMEOUT_MILLIS + " ms");
        }
    }

    /** Stops listening and hangs up every accepted connection (a controller that goes away). */
    @Override
    public void close() throws IOException {
        server.close();
        for (OfClient c : accepted) {
            c.close();
        }
    }
}
