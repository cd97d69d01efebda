package dev.ofswitch.ofswitch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TCP relay between an OpenFlow client (ovs-ofctl) and a switch that keeps, framed, every message the switch sent:
 * the test then holds exactly the bytes ovs-ofctl decoded and printed. Each accepted connection gets two pump threads;
 * a message is recorded before it is forwarded, so once the client has printed a reply the relay has it.
 *
 * <p>Thread-safety: {@link #take()} may be called from any thread; recording is under {@code this}.
 */
final class ReplyCapture implements AutoCloseable {
    private final ServerSocket server;
    private final int switchPort;
    private final Thread acceptor;
    /** Bytes from the switch, one stream per connection, not yet taken. Guarded by {@code this}. */
    private final List<ByteArrayOutputStream> streams = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    /** Listens on a free loopback port and relays each connection to the switch on {@code switchPort}. */
    ReplyCapture(int switchPort) throws IOException {
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.switchPort = switchPort;
        this.acceptor = new Thread(this::acceptLoop, "reply-capture-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The OpenFlow target to give the client: {@code tcp:127.0.0.1:PORT}. */
    String target() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket sw = new Socket(InetAddress.getLoopbackAddress(), switchPort);
                ByteArrayOutputStream rec = new ByteArrayOutputStream();
                synchronized (this) {
                    streams.add(rec);
                    sockets.add(client);
                    sockets.add(sw);
                }
                pump(client.getInputStream(), sw, null);
                pump(sw.getInputStream(), client, rec);
            } catch (IOException e) {
                return;     // closed
            }
        }
    }

    private void pump(InputStream in, Socket to, ByteArrayOutputStream rec) throws IOException {
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (rec != null) {
                        synchronized (this) {
                            rec.write(buf, 0, n);
                        }
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // One side went away: the other is closed below.
            }
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // Already closed.
            }
        }, "reply-capture-pump");
        t.setDaemon(true);
        t.start();
    }

    /** The whole messages the switch sent since the last call, in order, connection by connection. */
    synchronized List<byte[]> take() {
        List<byte[]> out = new ArrayList<>();
        for (ByteArrayOutputStream s : streams) {
            byte[] all = s.toByteArray();
            int at = 0;
            while (all.length - at >= 8) {
                int len = ((all[at + 2] & 0xff) << 8) | (all[at + 3] & 0xff);
                if (len < 8 || all.length - at < len) {
                    break;
                }
                out.add(Arrays.copyOfRange(all, at, at + len));
                at += len;
            }
            s.reset();
            s.write(all, at, all.length - at);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        synchronized (this) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
        }
    }
}
