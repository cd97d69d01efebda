package dev.ofswitch.lab.cli;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.TcpConnection;
import dev.ofswitch.lab.host.TcpHandler;
import dev.ofswitch.lab.host.UdpHandler;
import dev.ofswitch.lab.host.UdpSocket;
import dev.ofswitch.lab.topo.MininetFormat;
import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.lab.topo.TopologyFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code bin/lab demo}: the lab on its embedded default, end to end and without input. One switch, an "inside" host
 * h1 and two outside hosts, the embedded controller's stateful firewall ({@code ct()} with a zone per tenant,
 * {@code ct_mark}, {@code +inv} dropped, return traffic only for {@code +est}); then traffic: a ping sweep, a TCP
 * session from the inside, a blocked inbound TCP attempt, a UDP exchange; the conntrack table and the flow counters;
 * a clock warp that expires the short-lived entries.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a lab on the embedded firewall controller, run traffic, show conntrack, and exit.")
final class Demo implements Callable<Integer> {
    private static final String TOPOLOGY = "topologies/demo.json";

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        Topology t = loadDemoTopology();
        out.println("*** ofswitch lab demo: " + t.description());
        Lab.Options opts = new Lab.Options().insideHosts(List.of("h1"));
        Lab lab = LabMain.startAnnounced(t, opts, out);
        if (lab == null) {
            return 1;
        }
        try {
            LabShell shell = new LabShell(lab, out, MininetFormat.DEFAULT_CONTROLLERS, lab.runDir());
            out.println("*** The embedded controller's firewall on s1 (dump-flows s1)");
            out.print(FlowDump.dump(lab, "s1"));

            shell.pingAll(List.of("h1", "h2", "h3"), 2000, true);

            out.println("*** TCP from the inside: h1 opens a session to h2:80 (allowed, then +est both ways)");
            TcpConnection session = tcpSession(lab, "h1", "h2", 80, out);

            out.println("*** TCP towards the inside: h2 tries h1:22 (new connection to a protected host: dropped)");
            tcpBlocked(lab, "h2", "h1", 22, out);

            out.println("*** UDP: h1 asks h3:53 and gets the answer back (+est)");
            udpExchange(lab, "h1", "h3", 53, out);

            out.println("*** Connection tracking on s1 (ovs-appctl dpctl/dump-conntrack -s)");
            for (String e : lab.dumpConntrack("s1", true)) {
                out.println(e);
            }
            out.println("*** Flow counters on s1");
            out.print(FlowDump.dump(lab, "s1"));

            out.println("*** Warping the switch clock by 35 s: the ICMP and UDP entries (30 s once answered) expire, the"
                    + " open TCP session (ESTABLISHED: 86400 s) stays");
            lab.warp(35_000);
            List<String> after = lab.dumpConntrack("s1", true);
            if (after.isEmpty()) {
                out.println("(empty)");
            }
            for (String e : after) {
                out.println(e);
            }
            out.println("*** h1 closes its TCP session: FIN both ways, the entry goes to TIME_WAIT");
            session.close().orTimeout(5, TimeUnit.SECONDS).join();
            session.closeFuture().orTimeout(5, TimeUnit.SECONDS).join();
            for (String e : lab.dumpConntrack("s1", true)) {
                out.println(e);
            }
            LabMain.stopAnnounced(lab, out);
            lab = null;
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
        out.printf(Locale.ROOT, "completed in %.3f seconds%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static Topology loadDemoTopology() throws IOException {
        try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(TOPOLOGY)) {
            if (in == null) {
                throw new IOException("the demo topology " + TOPOLOGY + " is missing from the lab's jar");
            }
            return TopologyFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), TOPOLOGY);
        }
    }

    /** An echo server on the destination and a client that sends 10 kB and reads it back; the session stays open. */
    private static TcpConnection tcpSession(Lab lab, String client, String server, int port, PrintStream out) {
        EmulatedHost c = lab.host(client);
        EmulatedHost s = lab.host(server);
        s.listen(port, conn -> conn.setHandler(new TcpHandler() {
            @Override
            public void onData(TcpConnection x, byte[] data) {
                x.write(data);
            }

            @Override
            public void onEof(TcpConnection x) {
                x.close();
            }
        })).join();
        byte[] payload = new byte[10_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        TcpConnection conn = c.connect(s.ip(), port).orTimeout(5, TimeUnit.SECONDS).join();
        conn.write(payload).orTimeout(5, TimeUnit.SECONDS).join();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        while (echoed.size() < payload.length) {
            byte[] chunk = conn.read().orTimeout(5, TimeUnit.SECONDS).join();
            if (chunk.length == 0) {
                break;
            }
            echoed.writeBytes(chunk);
        }
        InetSocketAddress local = conn.localAddress();
        out.println(client + " " + local.getAddress().getHostAddress() + ":" + local.getPort() + " -> " + server + " "
                + s.ip().getHostAddress() + ":" + port + ": connected, " + payload.length + " bytes sent, "
                + echoed.size() + " echoed back, session kept open");
        return conn;
    }

    /** A listener on the protected host and a connection attempt that the firewall drops. */
    private static void tcpBlocked(Lab lab, String client, String server, int port, PrintStream out) {
        EmulatedHost c = lab.host(client);
        EmulatedHost s = lab.host(server);
        s.listen(port, conn -> { }).join();
        CompletableFuture<TcpConnection> f = c.connect(s.ip(), port);
        try {
            f.get(3, TimeUnit.SECONDS);
            out.println(client + " -> " + server + ":" + port + ": connected (the firewall let it through!)");
        } catch (TimeoutException e) {
            out.println(client + " -> " + server + ":" + port + ": no answer after 3 s: the SYN was dropped ("
                    + "ct_state=+new+trk towards an inside host)");
            f.cancel(true);
        } catch (Exception e) {
            out.println(client + " -> " + server + ":" + port + ": failed: " + e.getMessage());
        }
    }

    /** A one-datagram request/answer. */
    private static void udpExchange(Lab lab, String client, String server, int port, PrintStream out) {
        EmulatedHost c = lab.host(client);
        EmulatedHost s = lab.host(server);
        s.bind(port, new UdpHandler() {
            @Override
            public void onDatagram(UdpSocket sock, java.net.Inet4Address src, int srcPort, byte[] data) {
                sock.send(src, srcPort, "answer".getBytes(StandardCharsets.US_ASCII));
            }
        }).join();
        CompletableFuture<String> answer = new CompletableFuture<>();
        UdpSocket mine = c.bind(0, new UdpHandler() {
            @Override
            public void onDatagram(UdpSocket sock, java.net.Inet4Address src, int srcPort, byte[] data) {
                answer.complete("\"" + new String(data, StandardCharsets.US_ASCII) + "\" from "
                        + src.getHostAddress() + ":" + srcPort);
            }
        }).join();
        InetAddress dst = s.ip();
        mine.send(dst, port, "query".getBytes(StandardCharsets.US_ASCII));
        try {
            out.println(client + " -> " + server + ":" + port + ": " + answer.get(3, TimeUnit.SECONDS));
        } catch (Exception e) {
            out.println(client + " -> " + server + ":" + port + ": no answer (" + e + ")");
        }
    }
}
