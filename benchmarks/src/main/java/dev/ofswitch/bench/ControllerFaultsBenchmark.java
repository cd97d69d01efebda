package dev.ofswitch.bench;

import dev.ofswitch.ofswitch.OfSwitch;
import dev.ofswitch.ofswitch.SwitchConfig;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench controller-faults PROBE_MS DOWN_S[,DOWN_S...] DURATION_S}: how the switch copes with its controller,
 * in wall time on the real clock (the figures of the control-channel part of issue 7; the behaviour itself is tested
 * with a manual clock in {@code ControllerFaultsTest}).
 *
 * <ol>
 * <li><b>Dead controller.</b> A controller on 127.0.0.1 accepts the switch, exchanges HELLO and then neither reads
 * nor answers. Reported: when the switch's ECHO_REQUEST probe arrives and when the switch hangs up, counted from the
 * controller's HELLO (the switch's last input). Once with OVS's default probe interval (5000 ms), once with
 * {@code PROBE_MS}. Expected: one interval, then two, plus at most one 100 ms tick.
 * <li><b>Controller back.</b> The controller goes away (closes its socket and stops listening) for {@code DOWN_S}
 * seconds, then listens again. Reported: from listening again to the switch's connection, and to the end of the HELLO
 * exchange. The wait is what is left of the backoff (attempts 1, 3, 7, 15, 23, ... s after the drop), so it depends on
 * {@code DOWN_S}.
 * <li><b>Flow-mod flood.</b> Flow in_port=1 -> output:2; one thread sends frames into port 1
 * ({@code OfSwitch.receiveSync}, the pipeline run in the calling thread) for {@code DURATION_S} seconds with an idle
 * controller, then for as long while the controller writes flow-mods back to back (adds of 65,536 distinct tcp_dst
 * matches, over and over: the table stays at 65,537 flows, each add replacing its predecessor), in batches of 1000
 * followed by a barrier. Reported: frames forwarded per second in both phases, flow-mods applied per second.
 * </ol>
 *
 * Run it on an otherwise idle machine; the flood phase shares the CPUs with the controller threads of this JVM.
 */
final class ControllerFaultsBenchmark {
    static final String COMMAND = "controller-faults";
    static final String SYNOPSIS = "PROBE_MS DOWN_S[,DOWN_S...] DURATION_S";
    private static final int OF13 = 4;
    private static final byte[] FRAME = hex("50540000000250540000000108004500001c0001000040117cce0a0000010a000002"
            + "040000350008c0b3");

    private ControllerFaultsBenchmark() {
    }

    static int run(String[] argv) throws Exception {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 3, 3);
        long probeMs = args.integer(0, "PROBE_MS", 100, 60_000);
        List<Long> downs = new ArrayList<>();
        for (String d : argv[1].split(",")) {
            try {
                downs.add(Long.parseLong(d));
            } catch (NumberFormatException e) {
                throw args.error("DOWN_S must be a comma-separated list of seconds, got \"" + argv[1] + "\"");
            }
        }
        long durationS = args.integer(2, "DURATION_S", 1, 600);

        for (long p : new long[] {5000, probeMs}) {
            deadController(p);
        }
        for (long d : downs) {
            controllerBack(d);
        }
        flood(durationS);
        return 0;
    }

    // ------------------------------------------------------------------------------------------ dead controller

    private static void deadController(long probeMs) throws Exception {
        try (ServerSocket ctl = listen(0);
             OfSwitch sw = start(SwitchConfig.defaults().probeIntervalMillis(probeMs), ctl.getLocalPort())) {
            Socket s = ctl.accept();
            DataInputStream in = new DataInputStream(s.getInputStream());
            long t0 = handshake(s, in);
            long probeAt = -1;
            long closedAt;
            try {
                while (true) {
                    byte[] m = read(in);
                    if (m[1] == 2 && probeAt < 0) {
                        probeAt = System.nanoTime();
                    }
                }
            } catch (EOFException | SocketException e) {
                closedAt = System.nanoTime();
            }
            System.out.printf(Locale.ROOT, "dead controller, probe interval %d ms: ECHO_REQUEST after %d ms, "
                    + "disconnected after %d ms%n", probeMs, ms(probeAt - t0), ms(closedAt - t0));
            s.close();
        }
    }

    // ------------------------------------------------------------------------------------------ controller back

    private static void controllerBack(long downSeconds) throws Exception {
        ServerSocket ctl = listen(0);
        int port = ctl.getLocalPort();
        try (OfSwitch sw = start(SwitchConfig.defaults(), port)) {
            Socket s = ctl.accept();
            handshake(s, new DataInputStream(s.getInputStream()));
            long down = System.nanoTime();
            s.close();
            ctl.close();
            Thread.sleep(downSeconds * 1000);      // the outage being measured, not a wait for a condition
            long up = System.nanoTime();
            try (ServerSocket again = listen(port)) {
                Socket s2 = again.accept();
                long accepted = System.nanoTime();
                long helloDone = handshake(s2, new DataInputStream(s2.getInputStream()));
                while (!sw.controllerStatus().get(0).connected()) {
                    Thread.onSpinWait();
                }
                long connected = System.nanoTime();
                System.out.printf(Locale.ROOT, "controller back after %d s down: connection %d ms after it listened "
                        + "again (%d ms after it went away), HELLO done at %d ms, session up at %d ms%n",
                        downSeconds, ms(accepted - up), ms(accepted - down), ms(helloDone - up),
                        ms(connected - up));
                s2.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ flood

    private static void flood(long durationS) throws Exception {
        try (ServerSocket ctl = listen(0);
             OfSwitch sw = start(SwitchConfig.defaults(), ctl.getLocalPort())) {
            Socket s = ctl.accept();
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            handshake(s, in);
            OutputStream out = s.getOutputStream();
            out.write(flowMod(1, 100, hex("8000000400000001"), 2));
            out.write(header(20, 8, 2));
            if (read(in)[1] != 21) {
                throw new IOException("the switch did not take the flow in_port=1,actions=output:2");
            }

            // The controller reads everything the switch sends: barrier replies count the flow-mods applied, and
            // echo requests (the switch's inactivity probe) are answered, as a live controller does.
            AtomicLong applied = new AtomicLong();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        byte[] m = read(in);
                        if (m[1] == 21) {
                            applied.addAndGet(1000);
                        } else if (m[1] == 2) {
                            m[1] = 3;
                            synchronized (out) {
                                out.write(m);
                            }
                        } else if (m[1] == 1) {
                            throw new IllegalStateException("the switch refused a flow-mod");
                        }
                    }
                } catch (IOException e) {
                    // the benchmark is over
                }
            }, "bench-controller-reader");
            reader.start();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong forwarded = new AtomicLong();
            Thread traffic = new Thread(() -> {
                while (!stop.get()) {
                    sw.receiveSync(1, FRAME, FRAME.length);
                    forwarded.incrementAndGet();
                }
            }, "bench-traffic");
            traffic.start();
            Thread.sleep(1000);                     // warm-up, not measured
            long f0 = forwarded.get();
            long t0 = System.nanoTime();
            Thread.sleep(durationS * 1000);
            double idle = (forwarded.get() - f0) / seconds(System.nanoTime() - t0);

            AtomicBoolean stopFlood = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try {
                    int tcpDst = 0;
                    int xid = 0x1000;
                    ByteBuffer batch = ByteBuffer.allocate(1000 * 112 + 8);
                    while (!stopFlood.get()) {
                        batch.clear();
                        for (int i = 0; i < 1000; i++) {
                            batch.put(flowMod(xid++, 1000, tcpDstMatch(tcpDst++ & 0xffff), 4));
                        }
                        batch.put(header(20, 8, xid++));
                        synchronized (out) {
                            out.write(batch.array(), 0, batch.position());
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("the switch dropped the flooding controller", e);
                }
            }, "bench-flooder");
            writer.start();
            Thread.sleep(1000);                     // let the flood get going
            long f1 = forwarded.get();
            long a1 = applied.get();
            long t1 = System.nanoTime();
            Thread.sleep(durationS * 1000);
            double secs = seconds(System.nanoTime() - t1);
            double during = (forwarded.get() - f1) / secs;
            double flowMods = (applied.get() - a1) / secs;
            stopFlood.set(true);
            stop.set(true);
            traffic.join();
            writer.join();
            s.close();
            reader.join();
            System.out.printf(Locale.ROOT, "datapath, %d s each: %.0f frames/s with an idle controller, %.0f frames/s "
                    + "during a flow-mod flood (%.0f%%); flow-mods applied: %.0f/s%n", durationS, idle, during,
                    100 * during / idle, flowMods);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static OfSwitch start(SwitchConfig cfg, int controllerPort) throws IOException {
        OfSwitch sw = new OfSwitch(cfg.ports(4).controller("tcp:127.0.0.1:" + controllerPort));
        sw.start();
        return sw;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    /** Reads the switch's HELLO, sends ours (OF1.3); returns when ours is sent, the switch's last input. */
    private static long handshake(Socket s, DataInputStream in) throws IOException {
        byte[] hello = read(in);
        if (hello[1] != 0) {
            throw new IOException("expected HELLO, got type " + hello[1]);
        }
        s.getOutputStream().write(ByteBuffer.allocate(16).put(header(0, 16, 1)).putShort((short) 1)
                .putShort((short) 8).putInt(1 << OF13).array());
        return System.nanoTime();
    }

    private static byte[] read(DataInputStream in) throws IOException {
        byte[] h = new byte[8];
        in.readFully(h);
        int len = ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        byte[] m = new byte[len];
        System.arraycopy(h, 0, m, 0, 8);
        in.readFully(m, 8, len - 8);
        return m;
    }

    private static byte[] header(int type, int length, int xid) {
        return ByteBuffer.allocate(8).put((byte) OF13).put((byte) type).putShort((short) length).putInt(xid).array();
    }

    /** OF1.3 FLOW_MOD ADD in table 0 with an OXM match and apply-actions output:{@code port}. */
    private static byte[] flowMod(int xid, int priority, byte[] oxms, int port) {
        int matchLen = 4 + oxms.length;
        int padded = (matchLen + 7) / 8 * 8;
        int len = 48 + padded + 24;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(header(14, len, xid)).putLong(0).putLong(0).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) priority).putInt(-1).putInt(-1).putInt(-1).putShort((short) 0)
                .putShort((short) 0);
        b.putShort((short) 1).putShort((short) matchLen).put(oxms).put(new byte[padded - matchLen]);
        b.putShort((short) 4).putShort((short) 24).putInt(0);
        b.putShort((short) 0).putShort((short) 16).putInt(port).putShort((short) -1).put(new byte[6]);
        return b.array();
    }

    /** OXM in_port=3, eth_type=ip, ip_proto=tcp, tcp_dst={@code port}. */
    private static byte[] tcpDstMatch(int port) {
        return ByteBuffer.allocate(25).put(hex("80000004000000038000 0a0208008000140106 80001a02"))
                .putShort((short) port).array();
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
