package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.OfVersion;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ofctl} against this switch in-process over TCP, and against ovs-ofctl's output for the same switch when
 * ovs-ofctl is installed (skipped loudly otherwise).
 */
class OfctlMainTest {
    @TempDir
    Path tmp;

    /** Exit status, stdout and stderr of one bin/ofctl command line. */
    record Run(int rc, String out, String err) {
    }

    static Run ofctl(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OfctlMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), argv);
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dumpRequests_decodeAsWhatOvsOfctlSends() throws Exception {
        for (int v : new int[] {OfVersion.OF10, OfVersion.OF13, OfVersion.OF14, OfVersion.OF15}) {
            FlowStats.Request r = FlowStats.decodeRequest(Unpooled.wrappedBuffer(OfctlMain.flowStatsRequestAll(v, 2)));
            assertEquals(FlowStats.Request.all(v, 2), r, "version " + v);
        }
    }

    @Test
    void addDumpDelete_againstThisSwitch_everyVersion() throws Exception {
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(2).listen("ptcp:0:127.0.0.1"))) {
            sw.start();
            String target = "tcp:127.0.0.1:" + sw.boundOpenFlowPort();
            for (String proto : new String[] {"OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15"}) {
                Run r = ofctl("-O", proto, "add-flow", target, "table=1,priority=10,ip,actions=ct(table=2,zone=3)");
                assertEquals(0, r.rc(), r.err());
                Path f = tmp.resolve("flows.txt");
                Files.writeString(f, "priority=5,tcp,tp_dst=80,actions=output:2\n# comment\nactions=drop\n");
                r = ofctl("-O", proto, "add-flows", target, f.toString());
                assertEquals(0, r.rc(), r.err());
                r = ofctl("-O", proto, "--no-stats", "dump-flows", target);
                assertEquals(0, r.rc(), r.err());
                assertEquals(" actions=drop\n priority=5,tcp,tp_dst=80 actions=output:2\n"
                        + " table=1, priority=10,ip actions=ct(table=2,zone=3)\n", r.out(), proto);
                r = ofctl("-O", proto, "dump-flows", target);
                assertTrue(r.out().matches("(?s).* n_packets=0, n_bytes=0, (idle_age=0, )?priority=5,tcp,tp_dst=80 "
                        + "actions=output:2\n.*"), r.out());
                r = ofctl("-O", proto, "del-flows", target, "table=1");
                assertEquals(0, r.rc(), r.err());
                assertEquals(2, countFlows(target, proto));
                r = ofctl("-O", proto, "del-flows", target);
                assertEquals(0, r.rc(), r.err());
                assertEquals(0, countFlows(target, proto));
            }
        }
    }

    @Test
    void errors_parseErrorAndSwitchRefusal_exitOne() throws Exception {
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(2).listen("ptcp:0:127.0.0.1"))) {
            sw.start();
            String target = "tcp:127.0.0.1:" + sw.boundOpenFlowPort();
            Run r = ofctl("-O", "OpenFlow13", "add-flow", target, "ip,foo=1,actions=drop");
            assertEquals(1, r.rc());
            assertEquals("ofctl: unknown keyword foo\n", r.err());
            r = ofctl("-O", "OpenFlow13", "add-flow", target, "actions=group:9");
            assertEquals(1, r.rc());
            assertTrue(r.err().startsWith("ofctl: the switch answered OFPT_ERROR"), r.err());
            r = ofctl("-O", "OpenFlow12", "dump-flows", target);
            assertEquals(1, r.rc());
        }
    }

    /** The commands beyond add/del/dump-flows against this switch, without OVS: effects and output shape. */
    @Test
    void packetOutDumpPortsModFlowsStrictNames_againstThisSwitch() throws Exception {
        String udp = "50540000000250540000000108004500001c0001000040117cce0a0000010a000002040000350008c0b3";
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(3).listen("ptcp:0:127.0.0.1"))) {
            sw.start();
            String t = "tcp:127.0.0.1:" + sw.boundOpenFlowPort();
            Run r = ofctl("packet-out", t, "1", "output:2", udp, udp);
            assertEquals(0, r.rc(), r.err());
            r = ofctl("-O", "OpenFlow15", "packet-out", t, "in_port=p1,reg0=5,packet=" + udp + ",actions=output:p3");
            assertEquals(0, r.rc(), r.err());
            assertEquals(2, sw.port(2).txPackets.sum());
            assertEquals(1, sw.port(3).txPackets.sum());
            r = ofctl("-O", "OpenFlow13", "dump-ports", t, "p2");
            assertEquals(0, r.rc(), r.err());
            // xid 4: the name cost a connection of its own (HELLO 1, PORT_DESC 2), as in ovs-ofctl.
            assertTrue(r.out().matches("OFPST_PORT reply \\(OF1.3\\) \\(xid=0x4\\): 1 ports\n"
                    + "  port  2: rx pkts=0, bytes=0, drop=0, errs=\\?, frame=\\?, over=\\?, crc=\\?\n"
                    + "           tx pkts=2, bytes=84, drop=0, errs=\\?, coll=\\?\n"
                    + "           duration=[0-9.]+s\n"), r.out());
            r = ofctl("dump-ports", t);
            assertTrue(r.out().startsWith("OFPST_PORT reply (xid=0x2): 4 ports\n  port  1: rx pkts=0"), r.out());
            assertTrue(r.out().contains("\n  port LOCAL: rx "), r.out());

            assertEquals(0, ofctl("add-flow", t, "priority=5,in_port=p1,ip,actions=output:p2").rc());
            assertEquals(0, ofctl("add-flow", t, "priority=6,in_port=p1,ip,actions=output:p3").rc());
            assertEquals(0, ofctl("--strict", "mod-flows", t, "priority=5,in_port=1,ip,actions=drop").rc());
            assertEquals(" priority=6,ip,in_port=1 actions=output:3\n priority=5,ip,in_port=1 actions=drop\n",
                    ofctl("--no-stats", "dump-flows", t).out());
            assertEquals(" priority=6,ip,in_port=1 actions=output:3\n",
                    ofctl("--no-stats", "dump-flows", t, "out_port=p3").out());
            assertEquals(0, ofctl("mod-flows", t, "in_port=p1,actions=output:2").rc());
            assertEquals(0, ofctl("--strict", "del-flows", t, "priority=6,in_port=1").rc(), "no such flow: no-op");
            assertEquals(2, ofctl("--no-stats", "dump-flows", t).out().split("\n").length);
            assertEquals(0, ofctl("--strict", "del-flows", t, "priority=6,in_port=1,ip").rc());
            assertEquals(" priority=5,ip,in_port=1 actions=output:2\n", ofctl("--no-stats", "dump-flows", t).out());
            assertEquals(" priority=5,ip,in_port=p1 actions=output:p2\n",
                    ofctl("--no-stats", "--names", "dump-flows", t).out());

            r = ofctl("dump-ports", t, "nosuch");
            assertEquals(1, r.rc());
            assertEquals("ofctl: " + t + ": unknown port `nosuch'\n", r.err());
            r = ofctl("packet-out", t, "1", "output:2");
            assertEquals("ofctl: Too many arguments (4)\n", r.err());
            r = ofctl("--no-names", "add-flow", t, "in_port=p1,actions=drop");
            assertEquals("ofctl: p1: invalid or unknown port for in_port\n", r.err());
            r = ofctl("packet-out", t, "in_port=1,packet=0102,actions=output:2");
            assertEquals("ofctl: packet: Packet data too short for Ethernet\n", r.err());
        }
    }

    /** With ovs-ofctl installed: its dump-flows text and ours are the same for flows both loaded. */
    @Test
    void dumpFlows_identicalToOvsOfctl() throws Exception {
        Tools.require("OfctlMainTest.dumpFlows_identicalToOvsOfctl", "ovs-ofctl");
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(2).listen("ptcp:0:127.0.0.1"))) {
            sw.start();
            String target = "tcp:127.0.0.1:" + sw.boundOpenFlowPort();
            Path f = tmp.resolve("flows.txt");
            Files.writeString(f, "table=0,priority=100,ip,actions=ct(table=1,zone=5)\n"
                    + "table=1,ct_state=+new+trk,ip,actions=ct(commit,zone=5,exec(set_field:0x100/0xf00->ct_mark)),2\n"
                    + "table=1,priority=1,arp,actions=NORMAL\n");
            for (String proto : new String[] {"OpenFlow13", "OpenFlow10", "OpenFlow15"}) {
                assertEquals(0, ofctl("-O", proto, "del-flows", target).rc());
                assertEquals(0, ofctl("-O", proto, "add-flows", target, f.toString()).rc());
                String ours = ofctl("-O", proto, "--no-stats", "dump-flows", target).out();
                List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", proto, "--no-stats", "dump-flows",
                        target));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), theirs);
                assertEquals(theirs, ours, proto);
            }
        }
    }

    private static int countFlows(String target, String proto) {
        String out = ofctl("-O", proto, "--no-stats", "dump-flows", target).out();
        return out.isEmpty() ? 0 : out.split("\n").length;
    }
}
