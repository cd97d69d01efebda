package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.OF13;
import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.flowMod13;
import static dev.ofswitch.ofswitch.OfClient.header;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.channel.OfConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Controllers that send more than the switch can take, through real sockets: the datapath keeps forwarding, memory
 * stays bounded (the channel stops reading: TCP pushes back on the peer), other connections are still served, and
 * nothing is lost once the peer reads again. Conditions are polled with deadlines; no timing is asserted.
 */
class ControllerFloodTest {
    private static final byte[] FRAME = hex(OvsOfctlOf13Test.UDP);
    private static final byte[] IN_PORT_1 = hex("8000000400000001");
    /** Socket buffers of a flooding peer: small, so that the switch's side fills up soon. */
    private static final int PEER_BUFFER = 32 * 1024;
    /** The biggest OpenFlow message. */
    private static final int MAX_MESSAGE = 65535;

    private OfSwitch sw;
    private final AtomicBoolean stopTraffic = new AtomicBoolean();
    private final AtomicInteger forwarded = new AtomicInteger();
    private Thread traffic;
    private OfClient helper;
    private OfClient flooder;

    private void start(SwitchConfig cfg) throws IOException {
        sw = new OfSwitch(cfg.ports(4));
        sw.start();
    }

    /** A switch that ovs-ofctl-like peers connect to. */
    private void startListening() throws IOException {
        start(SwitchConfig.defaults().listen("ptcp:0").passiveProbeIntervalMillis(0));
    }

    @AfterEach
    void stop() throws InterruptedException, IOException {
        stopTraffic.set(true);
        if (traffic != null) {
            traffic.join(10_000);
        }
        for (OfClient c : new OfClient[] {helper, flooder}) {
            if (c != null) {
                c.close();
            }
        }
        if (sw != null) {
            sw.close();
        }
    }

    /** Installs in_port=1 -> output:2 and starts a thread that sends frames into port 1 until the test ends. */
    private void startTraffic(OfClient c) throws IOException {
        c.send(flowMod13(1, 0, 0, 100, IN_PORT_1, applyActions(output13(2))));
        assertTrue(c.barrier().isEmpty());
        traffic = new Thread(() -> {
            while (!stopTraffic.get()) {
                sw.receiveSync(1, FRAME, FRAME.length);
                forwarded.incrementAndGet();
            }
        }, "test-traffic");
        traffic.setDaemon(true);
        traffic.start();
    }

    private long tx2() {
        return sw.port(2).txPackets.sum();
    }

    /** Waits until port 2 has sent {@code n} more frames than {@code from}: the datapath is not starved. */
    private void awaitForwarding(long from, int n, String during) {
        Tools.await(n + " frames forwarded " + during, 20_000, () -> tx2() >= from + n);
    }

    /** The switch's side of the client's connection. */
    private OfConnection connectionOf(OfClient client) {
        String suffix = ":" + client.socket().getLocalPort();
        Tools.await("the switch to register " + suffix, 5000,
                () -> sw.agent().connections().stream().anyMatch(c -> c.target().endsWith(suffix)));
        return sw.agent().connections().stream().filter(c -> c.target().endsWith(suffix)).findFirst().orElseThrow();
    }

    /**
     * A controller writes 10,000 flow-mods back to back: the datapath forwards frames all the while, and once the
     * barrier is answered every flow is installed.
     */
    @Test
    void flowModFlood_datapathKeepsForwarding() throws Exception {
        try (TestController ctl = TestController.listen(0)) {
            start(SwitchConfig.defaults().controller(ctl.target()));
            OfClient c = ctl.accept(OF13);
            startTraffic(c);
            int n = 10_000;
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            long before = tx2();
            for (int i = 0; i < n; i++) {
                batch.writeBytes(flowMod13(0x10000 + i, 0, 0, 1000, tcpDst(i), applyActions(output13(4))));
                if (batch.size() > 256 * 1024) {
                    c.send(batch.toByteArray());
                    batch.reset();
                }
            }
            c.send(batch.toByteArray());
            c.socket().setSoTimeout(120_000);     // a deadline for a slow machine, not a timing assertion
            assertTrue(c.barrier().isEmpty(), "no errors");
            long during = tx2() - before;
            assertTrue(during > 0, "frames were forwarded while the flow-mods were applied");
            assertEquals(n + 1, sw.flowTables().activeCount(0));
            awaitForwarding(tx2(), 100, "after the flood");
        }
    }

    /**
     * A peer sends 64 KiB echo requests back to back and reads nothing. The switch answers until 64 KiB of replies
     * wait, then stops reading (the peer's writes block): its output stays bounded, the datapath forwards, another
     * connection is served. When the peer reads, every request has its reply, in order, and the connection works.
     */
    @Test
    void bigMessagesFromAPeerThatDoesNotRead_areServedWithBoundedMemory() throws Exception {
        OfConnection conn = startHelperAndFlooder();
        Flooder writer = new Flooder(flooder, 1, ControllerFloodTest::echoRequest);
        Tools.await("the switch to stop reading from the flooder", 20_000,
                () -> !conn.channel().config().isAutoRead());
        long pending = conn.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
        assertTrue(pending < (1 << 20), "replies waiting: " + pending + " bytes");
        awaitForwarding(tx2(), 1000, "while the flooder is stalled");
        assertTrue(helper.echo().isEmpty(), "another connection is served");
        pending = conn.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
        assertTrue(pending < (1 << 20), "replies waiting: " + pending + " bytes");

        writer.stopAndReadReplies(OfClient.ECHO_REPLY, MAX_MESSAGE);
        assertTrue(flooder.echo().isEmpty(), "the connection works");
        assertTrue(conn.channel().config().isAutoRead(), "reading again");
    }

    /**
     * A peer sends barrier requests back to back and reads nothing: once its replies pile up the control thread stops
     * serving it, its requests wait in a bounded inbox, and the channel stops reading. When it reads, every barrier is
     * answered, in order.
     */
    @Test
    void requestFloodFromAPeerThatDoesNotRead_waitsInABoundedInbox() throws Exception {
        OfConnection conn = startHelperAndFlooder();
        Flooder writer = new Flooder(flooder, 1024, first -> {
            ByteBuffer batch = ByteBuffer.allocate(8 * 1024);
            for (int i = 0; i < 1024; i++) {
                batch.put(header(OF13, OfClient.BARRIER_REQUEST, 8, first + i));
            }
            return batch.array();
        });
        Tools.await("the switch to stop reading from the flooder", 20_000,
                () -> !conn.channel().config().isAutoRead() && conn.pendingRequests() >= 1024);
        // One read after the pause can still bring a full 64 KiB of 8-byte requests.
        assertTrue(conn.pendingRequests() <= 1024 + 65536 / 8, "waiting: " + conn.pendingRequests());
        awaitForwarding(tx2(), 1000, "while the flooder is stalled");
        assertTrue(helper.echo().isEmpty());
        assertTrue(helper.barrier().isEmpty(), "the control thread serves the other connection");

        writer.stopAndReadReplies(OfClient.BARRIER_REPLY, 8);
        assertEquals(0, conn.pendingRequests());
    }

    /**
     * A thread that writes to a peer's socket as fast as it can, without reading: chunks of {@code perChunk} messages
     * numbered from 0 (each message's xid is its number), made by {@code chunk} from the first number.
     */
    private static final class Flooder {
        private final OfClient peer;
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Flooder(OfClient peer, int perChunk, java.util.function.IntFunction<byte[]> chunk) {
            this.peer = peer;
            thread = new Thread(() -> {
                try {
                    OutputStream out = peer.socket().getOutputStream();
                    while (!stop.get()) {
                        out.write(chunk.apply(written.get()));
                        written.addAndGet(perChunk);
                    }
                } catch (IOException e) {
                    throw new AssertionError("the switch dropped the flooding peer", e);
                }
            }, "test-flooder");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Stops writing and reads every reply: each of {@code type} and {@code length}, in order, one per message
         * written.
         */
        void stopAndReadReplies(int type, int length) throws IOException, InterruptedException {
            stop.set(true);
            int got = 0;
            while (thread.isAlive() || got < written.get()) {
                OfClient.Msg m = peer.read();
                assertEquals(type, m.type());
                assertEquals(length, m.length());
                assertEquals(got, m.xid(), "replies in order, none lost");
                got++;
            }
            thread.join(10_000);
            assertEquals(written.get(), got);
        }
    }

    /**
     * A listening switch, a helper connection that installs in_port=1 -> output:2 and drives traffic through it, and a
     * flooding peer with small socket buffers; returns the switch's side of the flooder's connection.
     */
    private OfConnection startHelperAndFlooder() throws IOException {
        startListening();
        helper = OfClient.connect(sw.boundOpenFlowPort(), OF13);
        flooder = smallBufferedPeer();
        startTraffic(helper);
        return connectionOf(flooder);
    }

    /** A peer whose socket buffers are small, connected and past HELLO. */
    private OfClient smallBufferedPeer() throws IOException {
        java.net.Socket s = new java.net.Socket();
        s.setReceiveBufferSize(PEER_BUFFER);
        s.setSendBufferSize(PEER_BUFFER);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", sw.boundOpenFlowPort()));
        return OfClient.over(s, OF13);
    }

    /** OXM in_port=3, ip, tcp, tcp_dst={@code port}. */
    private static byte[] tcpDst(int port) {
        return ByteBuffer.allocate(8 + 6 + 5 + 6).put(hex("80000004000000038000 0a02 0800 80001401 06 80001a02"))
                .putShort((short) port).array();
    }

    /** An OF1.3 ECHO_REQUEST of the biggest size, its payload numbered. */
    private static byte[] echoRequest(int xid) {
        byte[] m = new byte[MAX_MESSAGE];
        ByteBuffer.wrap(m).put(header(OF13, OfClient.ECHO_REQUEST, MAX_MESSAGE, xid)).putInt(xid);
        return m;
    }
}
