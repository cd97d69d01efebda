package dev.ofswitch.lab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.PingResult;
import dev.ofswitch.lab.host.TcpConnection;
import dev.ofswitch.lab.host.TcpHandler;
import dev.ofswitch.lab.host.TcpState;
import dev.ofswitch.lab.junit.LabTopology;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stateful firewall programmed by a real controller: os-ken runs {@code src/test/resources/osken/ct_firewall_13.py},
 * which installs an OpenFlow 1.3 pipeline of Nicira {@code ct()} actions ({@code NXActionCT}) and {@code ct_state}
 * matches on {@code single,3}: h1 (10.0.0.1) may open connections to anyone, nobody may open one to h1, replies pass
 * as {@code +est}. Forwarding is learned from ARP packet-ins (reason ACTION) into table 2.
 *
 * <p>Checked: h1 pings h2 and opens a TCP connection to it that carries data both ways; h2's pings and TCP connect to
 * h1 get nothing back (the drop flow for {@code +new} to h1 counts the echo request, the SYN and its retry);
 * the switch's conntrack table ({@link Lab#dumpConntrack}) holds the committed ICMP and TCP connections from h1, in
 * zone 7, the TCP one ESTABLISHED, and none from h2 to h1; os-ken saw no OFPT_ERROR. Skipped, with a notice, without
 * os-ken.
 */
@RequiresTool(value = "osken-manager", debianPackage = "python3-os-ken")
class OsKenFirewallIT {
    private static final String PORT_PROPERTY = "it.osken.fw.port";
    private static final int FIREWALL_FLOWS = 8;
    private static ExternalProcess osken;

    @BeforeAll
    static void startOsKen() throws Exception {
        osken = ExternalProcess.startOsKen("osken/ct_firewall_13.py", "osken-firewall.log", PORT_PROPERTY);
    }

    @AfterAll
    static void stopOsKen() {
        if (osken != null) {
            osken.close();
        }
    }

    private static PingResult ping(EmulatedHost from, EmulatedHost to) throws Exception {
        return from.ping(to.ip(), 1, 1000, 1500, 56).get(15, TimeUnit.SECONDS);
    }

    @Test
    @LabTopology(value = "single,3", controller = "remote,ip=127.0.0.1,port=${" + PORT_PROPERTY + "}",
            unixctl = false)
    void h1MayConnectToH2_h2MayNotConnectToH1_andConntrackShowsIt(Lab lab, EmulatedHost h1, EmulatedHost h2)
            throws Exception {
        assertTrue(Await.flows(lab, FIREWALL_FLOWS, Duration.ofSeconds(10)),
                () -> "the firewall's flows did not arrive: " + Await.flows(lab, "s1") + "\n" + osken.logTail(30));

        // ICMP: h1 -> h2 is a new connection from h1, committed; its reply is +est. h2 -> h1 is +new to h1: dropped.
        PingResult out = ping(h1, h2);
        assertEquals(1, out.received(), () -> out.format() + "\n" + osken.logTail(30));
        PingResult in = ping(h2, h1);
        assertEquals(0, in.received(), in::format);

        // TCP h1 -> h2: handshake, then data both ways (h2 echoes).
        h2.listen(5001, c -> c.setHandler(new TcpHandler() {
            @Override
            public void onData(TcpConnection conn, byte[] data) {
                conn.write(data);
            }
        })).get(5, TimeUnit.SECONDS);
        TcpConnection c = h1.connect(h2.ip(), 5001).get(10, TimeUnit.SECONDS);
        assertEquals(TcpState.ESTABLISHED, c.state());
        c.write("through the firewall".getBytes(StandardCharsets.US_ASCII)).get(10, TimeUnit.SECONDS);
        byte[] echo = c.read().get(10, TimeUnit.SECONDS);
        assertEquals("through the firewall", new String(echo, StandardCharsets.US_ASCII));

        // TCP h2 -> h1: the SYN and its retransmission (after 1 s) are taken by the +new-to-h1 drop flow, which had
        // h2's echo request already; the connection does not complete.
        h1.listen(5002, conn -> { }).get(5, TimeUnit.SECONDS);
        CompletableFuture<TcpConnection> blocked = h2.connect(h1.ip(), 5002);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (dropFlow(lab).packets() < 3 && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        long dropped = dropFlow(lab).packets();
        assertTrue(dropped >= 3, () -> dropped + " packets dropped, not the echo request, the SYN and its retry");
        assertFalse(blocked.isDone(), () -> "h2 connected to h1 through the firewall: " + blocked);

        // The conntrack table: committed entries only for what h1 started, in zone 7.
        List<String> ct = lab.dumpConntrack("s1", false);
        String dump = String.join("\n", ct);
        assertTrue(ct.stream().anyMatch(e -> e.startsWith("icmp,orig=(src=10.0.0.1,dst=10.0.0.2,")
                && e.endsWith(",zone=7")), dump);
        String tcp = ct.stream().filter(e -> e.startsWith("tcp,orig=(src=10.0.0.1,dst=10.0.0.2,")).findFirst()
                .orElse(null);
        assertNotNull(tcp, dump);
        assertTrue(tcp.contains(",dport=5001),reply=(src=10.0.0.2,dst=10.0.0.1,sport=5001,"), tcp);
        assertTrue(tcp.endsWith(",zone=7,protoinfo=(state=ESTABLISHED)"), tcp);
        assertEquals(List.of(), ct.stream().filter(e -> e.contains("orig=(src=10.0.0.2,dst=10.0.0.1,")).toList(),
                dump);

        assertEquals(List.of(), osken.logLines(l -> l.contains("fw-error:") || l.contains("Traceback")),
                () -> osken.logTail(40));
    }

    /** Table 1's {@code +new+trk,ip,nw_dst=10.0.0.1 actions=drop}. */
    private static FlowEntry dropFlow(Lab lab) {
        return Await.flows(lab, "s1").stream().filter(f -> f.tableId() == 1 && f.priority() == 150).findFirst()
                .orElseThrow();
    }
}
