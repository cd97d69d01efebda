package dev.ofswitch.lab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.PingResult;
import dev.ofswitch.lab.junit.LabTopology;
import dev.ofswitch.lab.topo.Topologies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Open vSwitch's command-line tools against a running lab switch, as against {@code br0}: {@code ovs-ofctl} on
 * {@code unix:RUNDIR/s1.mgmt} and {@code ovs-appctl -t RUNDIR/s1.ctl}, with the embedded firewall controller
 * connected at the same time, and on a switch's passive TCP listener ({@code listenPort}, Mininet's
 * {@code --listenport}) as {@code tcp:127.0.0.1:PORT}. Checked: {@code dump-flows} prints the controller's
 * pipeline in OVS's syntax; a drop flow added with {@code add-flow} stops h1's pings to h2 (and only those), counts
 * them, and {@code del-flows --strict} restores them; {@code dpctl/dump-conntrack} lists the connections the pings
 * made, exactly as the lab's own dump does; over TCP, {@code show} names the switch and its ports. Skipped, with a
 * notice, without openvswitch-common.
 */
@RequiresTool(value = "ovs-ofctl", debianPackage = "openvswitch-common")
@RequiresTool(value = "ovs-appctl", debianPackage = "openvswitch-common")
class OvsOfctlIT {
    /** Runs an OVS tool; fails the test on a non-zero exit status, with what it printed. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within 20 s");
        }
        String errText = new String(err.join(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + out + errText);
        return out;
    }

    private static String mgmt(Lab lab) {
        return "unix:" + lab.runDir().resolve("s1.mgmt");
    }

    private static String ofctl(Lab lab, String command, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", command, mgmt(lab)));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private static long ping(EmulatedHost from, EmulatedHost to) throws Exception {
        PingResult r = from.ping(to.ip(), 1, 1000, 1000, 56).get(15, TimeUnit.SECONDS);
        return r.received();
    }

    @Test
    @LabTopology("single,3")
    void dumpFlows_showsTheEmbeddedControllersPipeline(Lab lab) throws Exception {
        assertEquals("""
                 priority=300,arp actions=NORMAL
                 priority=100,ip,nw_src=10.0.0.0/8 actions=set_field:0x1->reg6,ct(table=1,zone=NXM_NX_REG6[0..15])
                 priority=0 actions=drop
                 table=1, priority=300,ct_state=+inv+trk actions=drop
                 table=1, priority=200,ct_state=+est+trk actions=NORMAL
                 table=1, priority=200,ct_state=+rel+trk actions=NORMAL
                 table=1, priority=150,ct_state=+new+trk,icmp,reg6=0x1,nw_dst=10.0.0.1 \
                actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark)),NORMAL
                 table=1, priority=140,ct_state=+new+trk,ip,nw_dst=10.0.0.1 actions=drop
                 table=1, priority=100,ct_state=+new+trk,ip,reg6=0x1 \
                actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark)),NORMAL
                """, run("ovs-ofctl", "-O", "OpenFlow13", "--no-stats", "dump-flows", mgmt(lab)));
        String full = ofctl(lab, "dump-flows");
        assertTrue(full.startsWith("OFPST_FLOW reply (OF1.3)"), full);
        assertTrue(full.contains("table=1, n_packets=0, n_bytes=0, priority=300,ct_state=+inv+trk actions=drop"),
                full);
    }

    @Test
    @LabTopology("single,3")
    void addFlow_ofADropRule_stopsThePing_andDelFlowsRestoresIt(Lab lab, EmulatedHost h1, EmulatedHost h2,
            EmulatedHost h3) throws Exception {
        assertEquals(1, ping(h1, h2));
        String rule = "table=0,priority=1000,icmp,nw_src=10.0.0.1,nw_dst=10.0.0.2";
        assertEquals("", ofctl(lab, "add-flow", rule + ",actions=drop"));
        assertEquals(0, ping(h1, h2), "h1 -> h2 is dropped");
        assertEquals(1, ping(h1, h3), "h1 -> h3 is not");
        String dumped = ofctl(lab, "dump-flows", "table=0,icmp,nw_src=10.0.0.1,nw_dst=10.0.0.2");
        assertTrue(dumped.contains(" n_packets=1, n_bytes=98, priority=1000,icmp,nw_src=10.0.0.1,nw_dst=10.0.0.2 "
                + "actions=drop"), dumped);
        assertEquals("", ofctl(lab, "del-flows", "--strict", rule));
        assertEquals(1, ping(h1, h2), "restored");
    }

    @Test
    @LabTopology("single,3")
    void dpctlDumpConntrack_listsThePingsConnections(Lab lab, EmulatedHost h1, EmulatedHost h2, EmulatedHost h3)
            throws Exception {
        assertEquals(1, ping(h1, h2));
        assertEquals(1, ping(h2, h3));
        String ctl = lab.runDir().resolve("s1.ctl").toString();
        List<String> dumped = run("ovs-appctl", "-t", ctl, "dpctl/dump-conntrack").lines().sorted().toList();
        assertEquals(2, dumped.size(), dumped::toString);
        assertTrue(dumped.get(0).startsWith("icmp,orig=(src=10.0.0.1,dst=10.0.0.2,id="), dumped::toString);
        assertTrue(dumped.get(0).endsWith(",type=0,code=0),zone=1,mark=1"), dumped::toString);
        assertTrue(dumped.get(1).startsWith("icmp,orig=(src=10.0.0.2,dst=10.0.0.3,id="), dumped::toString);
        assertEquals(lab.dumpConntrack("s1").stream().sorted().toList(), dumped);
    }

    @Test
    void theListenPort_servesOvsOfctlOverTcp() throws Exception {
        int port = ExternalProcess.freePort();
        try (Lab lab = Lab.start(Topologies.single(2).withListenPorts(port), new Lab.Options().unixctl(false))) {
            assertTrue(lab.awaitConnected(Duration.ofSeconds(10)), "s1 did not connect");
            String target = "tcp:127.0.0.1:" + port;
            String show = run("ovs-ofctl", "-O", "OpenFlow13", "show", target);
            assertTrue(show.startsWith("OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:0000000000000001\n"), show);
            assertTrue(show.contains(" 1(s1-eth1): addr:"), show);
            assertTrue(show.contains(" 2(s1-eth2): addr:"), show);
            assertTrue(run("ovs-ofctl", "-O", "OpenFlow13", "--no-stats", "dump-flows", target)
                    .contains(" priority=0 actions=drop\n"), target);
        }
    }
}
