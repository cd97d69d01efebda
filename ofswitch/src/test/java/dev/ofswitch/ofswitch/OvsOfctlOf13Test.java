package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ovs-ofctl -O OpenFlow13} (3.1) against a live switch on 127.0.0.1, command by command. The expected
 * texts are what ovs-ofctl prints for ovs-vswitchd 3.1 given the same commands (checked with ovs-oracle start),
 * except where a comment says otherwise. Skipped, loudly, when ovs-ofctl is not installed.
 */
class OvsOfctlOf13Test {
    /** A 42-byte UDP frame 10.0.0.1:1024 -> 10.0.0.2:53, from 50:54:00:00:00:01 to 50:54:00:00:00:02. */
    static final String UDP = "50540000000250540000000108004500001c0001000040117cce0a0000010a000002040000350008c0b3";

    @TempDir
    Path dir;
    LiveSwitch s;

    @BeforeEach
    void start() throws IOException {
        Tools.require("ovs-ofctl against a live switch", "ovs-ofctl", "ovs-appctl");
        s = LiveSwitch.start(dir, 4);
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private Tools.Result of(String... args) {
        List<String> a = new ArrayList<>(List.of("-O", "OpenFlow13"));
        a.addAll(List.of(args));
        return s.ofctl(a.toArray(new String[0]));
    }

    private List<String> flows(String... matchArgs) {
        List<String> a = new ArrayList<>(List.of("dump-flows", "TARGET"));
        a.addAll(List.of(matchArgs));
        return LiveSwitch.flows(of(a.toArray(new String[0])));
    }

    private void receive(int port, String hex) throws IOException {
        s.receive(port, hex);
    }

    /** Port addresses: ours are aa:55:00:01:00:NN (dpid 1, port NN), real OVS picks its own. */
    static String macs(String text) {
        return LiveSwitch.AGAINST_OVS ? text.replaceAll("addr:[0-9a-f:]{17}", "addr:MAC") : text;
    }

    @Test
    void show_featuresPortsAndConfig() {
        StringBuilder ports = new StringBuilder();
        for (int p = 1; p <= 4; p++) {
            ports.append(" ").append(p).append("(p").append(p).append("): addr:aa:55:00:01:00:0").append(p)
                    .append("\n     config:     0\n     state:      LIVE\n     speed: 0 Mbps now, 0 Mbps max\n");
        }
        assertEquals(macs("OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:0000000000000001\n"
                + "n_tables:254, n_buffers:0\n"
                + "capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS\n"
                + "OFPST_PORT_DESC reply (OF1.3) (xid=0x3):\n"
                + ports
                + " LOCAL(br0): addr:aa:55:00:01:00:00\n     config:     0\n     state:      LIVE\n"
                + "     speed: 0 Mbps now, 0 Mbps max\n"
                + "OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x5): frags=normal miss_send_len=0\n"),
                macs(of("show", "TARGET").ok().stdout()));
    }

    @Test
    void addFlow_dumpFlowsWithAndWithoutMatch() {
        of("add-flow", "TARGET", "priority=100,ip,nw_src=10.0.0.1,actions=output:2").ok();
        of("add-flow", "TARGET", "table=1,priority=5,tcp,tp_dst=80,actions=mod_nw_dst:1.2.3.4,output:3").ok();
        of("add-flow", "TARGET", "cookie=0x42,priority=50,arp,actions=drop").ok();
        String f1 = "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_src=10.0.0.1 actions=output:2";
        String f2 = "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=5,tcp,tp_dst=80"
                + " actions=set_field:1.2.3.4->ip_dst,output:3";
        String f3 = "cookie=0x42, table=0, n_packets=0, n_bytes=0, priority=50,arp actions=drop";
        assertEquals(sorted(f1, f2, f3), flows());
        assertEquals(List.of(f2), flows("table=1"));
        assertEquals(sorted(f1, f2), flows("ip"));
        assertEquals(List.of(f2), flows("tcp,tp_dst=80"));
        assertEquals(List.of(f3), flows("cookie=0x42/-1"));
        assertEquals(List.of(), flows("udp"));
    }

    @Test
    void addFlows_fromFile() throws IOException {
        Path file = dir.resolve("flows.txt");
        Files.writeString(file, String.join("\n",
                "# comment lines and blank lines are skipped",
                "",
                "table=0,priority=10,in_port=1,actions=goto_table:1",
                "table=0,priority=0,actions=drop",
                "table=1,priority=20,udp,tp_dst=53,actions=set_field:00:00:00:00:00:09->eth_dst,output:2",
                "table=1,priority=10,ip,actions=resubmit(,2)",
                "table=2,priority=5,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:3",
                "table=2,priority=1,idle_timeout=60,hard_timeout=120,send_flow_rem,actions=controller",
                ""));
        of("add-flows", "TARGET", file.toString()).ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=10,in_port=1 actions=goto_table:1",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop",
                "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=20,udp,tp_dst=53"
                        + " actions=set_field:00:00:00:00:00:09->eth_dst,output:2",
                "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=10,ip actions=resubmit(,2)",
                "cookie=0x0, table=2, n_packets=0, n_bytes=0, priority=5"
                        + " actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:3",
                "cookie=0x0, table=2, n_packets=0, n_bytes=0, idle_timeout=60, hard_timeout=120, send_flow_rem"
                        + " priority=1 actions=CONTROLLER:65535"), flows());
        // The file's flows work: the UDP frame from port 1 goes 0 -> 1 and out of port 2 with a new eth_dst.
        receive(1, UDP);
        assertEquals(2, flows().stream().filter(f -> f.contains("n_packets=1,")).count(), flows().toString());
    }

    @Test
    void modFlows_nonStrictAndStrict_keepCounters() throws IOException {
        of("add-flow", "TARGET", "priority=100,ip,nw_src=10.0.0.1,actions=output:2").ok();
        of("add-flow", "TARGET", "priority=90,udp,actions=output:2").ok();
        of("add-flow", "TARGET", "priority=80,arp,actions=output:2").ok();
        receive(1, UDP);
        of("mod-flows", "TARGET", "ip,actions=output:4").ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=1, n_bytes=42, priority=100,ip,nw_src=10.0.0.1 actions=output:4",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=90,udp actions=output:4",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"), flows());
        of("--strict", "mod-flows", "TARGET", "priority=90,udp,actions=output:3").ok();
        of("--strict", "mod-flows", "TARGET", "priority=91,udp,actions=output:1").ok();     // matches nothing
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=1, n_bytes=42, priority=100,ip,nw_src=10.0.0.1 actions=output:4",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=90,udp actions=output:3",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"), flows());
        receive(1, UDP);
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(4)), "the modified flow sends to port 4");
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(2)), "before the change it sent to port 2");
    }

    @Test
    void delFlows_withMatchStrictAndAll() {
        of("add-flow", "TARGET", "priority=100,ip,nw_src=10.0.0.1,actions=output:2").ok();
        of("add-flow", "TARGET", "priority=90,udp,actions=output:2").ok();
        of("add-flow", "TARGET", "table=1,priority=90,udp,actions=output:3").ok();
        of("add-flow", "TARGET", "priority=80,arp,actions=output:2").ok();
        of("--strict", "del-flows", "TARGET", "priority=91,udp").ok();
        assertEquals(4, flows().size(), "strict delete with another priority removes nothing");
        of("--strict", "del-flows", "TARGET", "table=1,priority=90,udp").ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_src=10.0.0.1 actions=output:2",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=90,udp actions=output:2",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"), flows(),
                "strict delete in table 1 only");
        of("add-flow", "TARGET", "table=1,priority=90,udp,actions=output:3").ok();
        of("--strict", "del-flows", "TARGET", "priority=90,udp").ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_src=10.0.0.1 actions=output:2",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"), flows(),
                "strict delete without table= looks in every table (OFPTT_ALL)");
        of("del-flows", "TARGET", "ip").ok();
        assertEquals(List.of("cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"),
                flows(), "non-strict delete of ip removes every ip flow in every table");
        of("del-flows", "TARGET").ok();
        assertEquals(List.of(), flows());
    }

    @Test
    void dumpAggregateAndDumpTables_countPackets() throws IOException {
        of("add-flow", "TARGET", "priority=10,in_port=1,actions=goto_table:1").ok();
        of("add-flow", "TARGET", "table=1,priority=10,udp,actions=output:2").ok();
        of("add-flow", "TARGET", "table=1,priority=5,arp,actions=output:2").ok();
        receive(1, UDP);
        receive(1, UDP);
        receive(3, UDP);    // table 0 miss: dropped
        assertEquals("OFPST_AGGREGATE reply (OF1.3) (xid=0x2): packet_count=4 byte_count=168 flow_count=3\n",
                of("dump-aggregate", "TARGET").ok().stdout());
        assertEquals("OFPST_AGGREGATE reply (OF1.3) (xid=0x6): packet_count=2 byte_count=84 flow_count=1\n",
                of("dump-aggregate", "TARGET", "table=1,udp").ok().stdout());
        assertEquals("OFPST_TABLE reply (OF1.3) (xid=0x2):\n"
                + "  table 0:\n    active=1, lookup=3, matched=2\n\n"
                + "  table 1:\n    active=2, lookup=2, matched=2\n\n"
                + "  table 2:\n    active=0, lookup=0, matched=0\n\n"
                + "  tables 3...253: ditto\n", of("dump-tables", "TARGET").ok().stdout());
    }

    @Test
    void dumpPortsAndPortsDesc() throws IOException {
        of("packet-out", "TARGET", "1", "output:2", UDP).ok();
        receive(3, UDP);
        List<String> lines = of("dump-ports", "TARGET").ok().lines();
        assertEquals("OFPST_PORT reply (OF1.3) (xid=0x2): 5 ports", lines.get(0));
        // OVS prints drop=? for its dummy ports (it cannot count drops there); we count them and print 0.
        String drop = LiveSwitch.AGAINST_OVS ? "?" : "0";
        assertTrue(lines.contains("  port  2: rx pkts=0, bytes=0, drop=" + drop + ", errs=?, frame=?, over=?, crc=?"),
                lines.toString());
        assertTrue(lines.contains("           tx pkts=1, bytes=42, drop=" + drop + ", errs=?, coll=?"),
                lines.toString());
        assertTrue(lines.contains("  port  3: rx pkts=1, bytes=42, drop=" + drop + ", errs=?, frame=?, over=?, crc=?"),
                lines.toString());
        List<String> one = of("dump-ports", "TARGET", "2").ok().lines();
        assertEquals(List.of("OFPST_PORT reply (OF1.3) (xid=0x2): 1 ports",
                "  port  2: rx pkts=0, bytes=0, drop=" + drop + ", errs=?, frame=?, over=?, crc=?",
                "           tx pkts=1, bytes=42, drop=" + drop + ", errs=?, coll=?"), one.subList(0, 3));
        assertTrue(one.get(3).matches("           duration=[0-9.]+s"), one.get(3));

        String desc = macs(of("dump-ports-desc", "TARGET").ok().stdout());
        assertTrue(desc.startsWith(macs("OFPST_PORT_DESC reply (OF1.3) (xid=0x2):\n 1(p1): addr:aa:55:00:01:00:01\n"
                + "     config:     0\n     state:      LIVE\n     speed: 0 Mbps now, 0 Mbps max\n")), desc);
        assertTrue(desc.endsWith(macs(" LOCAL(br0): addr:aa:55:00:01:00:00\n     config:     0\n     state:      LIVE\n"
                + "     speed: 0 Mbps now, 0 Mbps max\n")), desc);
    }

    @Test
    void packetOut_framesLeaveTheRightPorts() throws IOException {
        of("packet-out", "TARGET", "1", "output:2", UDP).ok();
        of("packet-out", "TARGET", "1", "output:in_port", UDP).ok();
        of("packet-out", "TARGET", "1", "mod_dl_dst:00:00:00:00:00:aa,output:3,output:4", UDP).ok();
        of("packet-out", "TARGET", "1", "output:1", UDP).ok();   // to the in_port without IN_PORT: dropped
        of("packet-out", "TARGET", "none", "output:9", UDP).ok(); // no such port: dropped
        String modified = "0000000000aa" + UDP.substring(12);
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(1)));
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(2)));
        assertEquals(List.of(modified), Pcap.frames(s.txPcap(3)));
        assertEquals(List.of(modified), Pcap.frames(s.txPcap(4)));
    }

    @Test
    void packetOut_errorIsPrinted() {
        Tools.Result r = of("packet-out", "TARGET", "1", "group:7", UDP);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("OFPBAC_BAD_OUT_GROUP"), r.stderr());
    }

    @Test
    void monitor_printsPacketInFromControllerFlow() throws Exception {
        of("add-flow", "TARGET", "cookie=0x99,priority=10,udp,actions=controller").ok();
        try (OfctlMonitor m = new OfctlMonitor(List.of("-O", "OpenFlow13"), s.target(), dir)) {
            receive(1, UDP);
            assertEquals(List.of("NXT_PACKET_IN2 (OF1.3) (xid=0x0): cookie=0x99 total_len=42 in_port=1 (via action)"
                            + " data_len=42 (unbuffered)",
                    "udp,vlan_tci=0x0000,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02,nw_src=10.0.0.1,"
                            + "nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1024,tp_dst=53"
                            + " udp_csum:c0b3"),
                    m.awaitLine("PACKET_IN"));
        }
    }

    @Test
    void addGroup_dumpGroups_andFlowsUsingThem() throws IOException {
        of("add-group", "TARGET", "group_id=1,type=all,bucket=output:2,bucket=output:3").ok();
        of("add-group", "TARGET", "group_id=2,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2")
                .ok();
        of("add-group", "TARGET", "group_id=3,type=indirect,bucket=set_field:10.0.0.9->ip_dst,output:4").ok();
        of("add-group", "TARGET", "group_id=4,type=fast_failover,bucket=watch_port:1,output:1,"
                + "bucket=watch_port:2,output:2").ok();
        List<String> groups = new ArrayList<>(of("dump-groups", "TARGET").ok().lines());
        assertEquals("OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):", groups.remove(0));
        groups.sort(null);
        assertEquals(List.of(
                " group_id=1,type=all,bucket=actions=output:2,bucket=actions=output:3",
                " group_id=2,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:2",
                " group_id=3,type=indirect,bucket=actions=set_field:10.0.0.9->ip_dst,output:4",
                " group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2"),
                groups);
        Tools.Result dup = of("add-group", "TARGET", "group_id=1,type=all,bucket=output:2");
        assertTrue(dup.exitCode() != 0 && dup.stderr().contains("OFPGMFC_GROUP_EXISTS"), dup.stderr());

        of("add-flow", "TARGET", "priority=10,udp,actions=group:1").ok();
        receive(1, UDP);
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(2)));
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(3)));
        String stats = of("dump-group-stats", "TARGET").ok().stdout();
        assertTrue(stats.matches("(?s).*group_id=1,duration=[0-9.]+s,ref_count=[0-9]+,packet_count=1,byte_count=42,"
                + "bucket0:packet_count=1,byte_count=42,bucket1:packet_count=1,byte_count=42\n.*"), stats);

        of("del-groups", "TARGET", "group_id=1").ok();
        assertEquals(List.of(), flows(), "deleting a group deletes the flows that output to it");
    }

    @Test
    void dumpTableFeatures_parsesIn15() {
        // OpenFlow 1.3's reply is read by every add-flow above; 1.5's has its own encoder.
        String out = s.ofctl("-O", "OpenFlow15", "dump-table-features", "TARGET").ok().stdout();
        // OVS names no table; this switch calls them table0..table253.
        assertTrue(out.startsWith(LiveSwitch.AGAINST_OVS ? "  table 0:\n" : "  table 0 (\"table0\"):\n"),
                out.substring(0, 80));
        assertTrue(out.contains("      next tables: 1-253\n      instructions: apply_actions clear_actions"
                + " write_actions write_metadata goto_table\n"), out.substring(0, 600));
        // ovs-ofctl looks the names up with TABLE_FEATURES and PORT_DESC before sending the flow mod.
        s.ofctl("-O", "OpenFlow15", "add-flow", "TARGET", "table=1,in_port=p1,actions=output:p2").ok();
        assertEquals(List.of("cookie=0x0, table=1, n_packets=0, n_bytes=0, in_port=1 actions=output:2"),
                LiveSwitch.flows(s.ofctl("-O", "OpenFlow15", "--no-names", "dump-flows", "TARGET", "table=1")));
    }

    @Test
    void appctl_onTheSwitchSocket() {
        assertEquals(LiveSwitch.AGAINST_OVS ? "ovs-vswitchd (Open vSwitch) 3.1.0\n" : "ofswitch 0.1.0\n",
                s.appctl("version").ok().stdout());
        Tools.Result bad = s.appctl("netdev-dummy/receive", "p9", UDP);
        assertEquals(2, bad.exitCode());
        assertEquals("no such dummy netdev\novs-appctl: " + s.ctl() + ": server returned an error\n", bad.stderr());
        Tools.Result unknown = s.appctl("no/such-command");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().startsWith("\"no/such-command\" is not a valid command"), unknown.stderr());
        s.appctl("time/stop").ok();
        assertEquals("warped\n", s.appctl("time/warp", "1000").ok().stdout());
        assertEquals("", s.appctl("dpctl/dump-conntrack", "-m", "-s").ok().stdout());
        assertEquals("0\n", s.appctl("dpctl/ct-get-nconns").ok().stdout());
    }

    static List<String> sorted(String... lines) {
        List<String> l = new ArrayList<>(List.of(lines));
        l.sort(null);
        return l;
    }
}
