package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OvsOfctlOf13Test.UDP;
import static dev.ofswitch.ofswitch.OvsOfctlOf13Test.macs;
import static dev.ofswitch.ofswitch.OvsOfctlOf13Test.sorted;
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
 * The same commands as {@link OvsOfctlOf13Test}, without {@code -O}: ovs-ofctl 3.1 then speaks OpenFlow 1.0 with
 * Nicira extensions (plain OFPT_FLOW_MOD with ofp_match for flows it can express, NXT_SET_FLOW_FORMAT nxm and
 * NXST_FLOW/NXST_AGGREGATE for dumps, NXT_GROUP_MOD for add-group, NXST_GROUP_DESC/NXST_GROUP/NXST_GROUP_FEATURES
 * for dump-groups/dump-group-stats/dump-group-features, OVS's OFPST 1.0 (13) for dump-ports-desc). Expected texts
 * are what ovs-ofctl prints for ovs-vswitchd 3.1 ({@code -Dofswitch.against=ovs} runs them there).
 */
class OvsOfctlOf10Test {
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
        return s.ofctl(args);
    }

    private List<String> flows(String... matchArgs) {
        List<String> a = new ArrayList<>(List.of("dump-flows", "TARGET"));
        a.addAll(List.of(matchArgs));
        return LiveSwitch.flows(of(a.toArray(new String[0])));
    }

    private void receive(int port, String hex) throws IOException {
        s.receive(port, hex);
    }

    @Test
    void show_featuresWithPortsAndConfig() {
        StringBuilder ports = new StringBuilder();
        for (int p = 1; p <= 4; p++) {
            ports.append(" ").append(p).append("(p").append(p).append("): addr:aa:55:00:01:00:0").append(p)
                    .append("\n     config:     0\n     state:      0\n     speed: 0 Mbps now, 0 Mbps max\n");
        }
        assertEquals(macs("OFPT_FEATURES_REPLY (xid=0x2): dpid:0000000000000001\n"
                + "n_tables:254, n_buffers:0\n"
                + "capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP\n"
                + "actions: output enqueue set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst mod_nw_src"
                + " mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst\n"
                + ports
                + " LOCAL(br0): addr:aa:55:00:01:00:00\n     config:     0\n     state:      0\n"
                + "     speed: 0 Mbps now, 0 Mbps max\n"
                + "OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0\n"),
                macs(of("show", "TARGET").ok().stdout()));
    }

    @Test
    void addFlow_dumpFlowsWithAndWithoutMatch() {
        of("add-flow", "TARGET", "priority=100,ip,nw_src=10.0.0.1,actions=output:2").ok();
        of("add-flow", "TARGET", "table=1,priority=5,tcp,tp_dst=80,actions=mod_nw_dst:1.2.3.4,output:3").ok();
        of("add-flow", "TARGET", "cookie=0x42,priority=50,arp,arp_op=1,arp_tpa=10.0.0.2,actions=drop").ok();
        of("add-flow", "TARGET", "priority=40,dl_vlan=5,dl_vlan_pcp=3,actions=strip_vlan,output:1").ok();
        of("add-flow", "TARGET", "priority=30,udp,nw_tos=16,tp_src=53,actions=output:1").ok();
        String f1 = "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_src=10.0.0.1 actions=output:2";
        String f2 = "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=5,tcp,tp_dst=80"
                + " actions=mod_nw_dst:1.2.3.4,output:3";
        String f3 = "cookie=0x42, table=0, n_packets=0, n_bytes=0, priority=50,arp,arp_tpa=10.0.0.2,arp_op=1"
                + " actions=drop";
        String f4 = "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=40,dl_vlan=5,dl_vlan_pcp=3"
                + " actions=strip_vlan,output:1";
        String f5 = "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=30,udp,nw_tos=16,tp_src=53"
                + " actions=output:1";
        assertEquals(sorted(f1, f2, f3, f4, f5), flows());
        assertEquals(List.of(f2), flows("table=1"));
        assertEquals(sorted(f1, f2, f5), flows("ip"));
        assertEquals(List.of(f2), flows("tcp,tp_dst=80"));
        assertEquals(List.of(f3), flows("cookie=0x42/-1"));
        // The same flows through the OpenFlow 1.0 flow format (ofp_match) instead of NXM.
        assertEquals(sorted(f1, f2, f3, f4, f5), LiveSwitch.flows(of("-F", "openflow10", "dump-flows", "TARGET")));
        assertEquals(List.of(f5), LiveSwitch.flows(of("-F", "openflow10", "dump-flows", "TARGET", "udp")));
    }

    @Test
    void addFlows_fromFile() throws IOException {
        Path file = dir.resolve("flows.txt");
        Files.writeString(file, String.join("\n",
                "# OpenFlow 1.0: no instructions; goto_table is sent as resubmit",
                "priority=10,in_port=1,actions=resubmit(,1)",
                "priority=0,actions=drop",
                "table=1,priority=20,udp,tp_dst=53,actions=mod_dl_dst:00:00:00:00:00:09,output:2",
                "table=1,priority=10,ip,actions=goto_table:2",
                "table=2,priority=5,actions=mod_vlan_vid:100,output:3",
                "table=2,priority=1,idle_timeout=60,hard_timeout=120,send_flow_rem,actions=controller",
                ""));
        of("add-flows", "TARGET", file.toString()).ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=10,in_port=1 actions=resubmit(,1)",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop",
                "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=20,udp,tp_dst=53"
                        + " actions=mod_dl_dst:00:00:00:00:00:09,output:2",
                "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=10,ip actions=resubmit(,2)",
                "cookie=0x0, table=2, n_packets=0, n_bytes=0, priority=5 actions=mod_vlan_vid:100,output:3",
                "cookie=0x0, table=2, n_packets=0, n_bytes=0, idle_timeout=60, hard_timeout=120,"
                        + " priority=1 actions=CONTROLLER:65535"), flows());
        receive(1, UDP);
        assertEquals(List.of("000000000009" + UDP.substring(12)), Pcap.frames(s.txPcap(2)));
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
        // OpenFlow 1.0 (and OVS): a modify that matches no flow adds one.
        of("--strict", "mod-flows", "TARGET", "priority=91,udp,actions=output:1").ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=1, n_bytes=42, priority=100,ip,nw_src=10.0.0.1 actions=output:4",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=91,udp actions=output:1",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=90,udp actions=output:3",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"), flows());
        receive(1, UDP);
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(4)));
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(2)));
    }

    @Test
    void delFlows_withMatchStrictAndAll() {
        of("add-flow", "TARGET", "priority=100,ip,nw_src=10.0.0.1,actions=output:2").ok();
        of("add-flow", "TARGET", "priority=90,udp,actions=output:2").ok();
        of("add-flow", "TARGET", "table=1,priority=90,udp,actions=output:3").ok();
        of("add-flow", "TARGET", "priority=80,arp,actions=output:2").ok();
        of("--strict", "del-flows", "TARGET", "priority=91,udp").ok();
        assertEquals(4, flows().size());
        of("--strict", "del-flows", "TARGET", "table=1,priority=90,udp").ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_src=10.0.0.1 actions=output:2",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=90,udp actions=output:2",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"), flows());
        of("del-flows", "TARGET", "ip").ok();
        assertEquals(List.of("cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=80,arp actions=output:2"),
                flows());
        of("del-flows", "TARGET").ok();
        assertEquals(List.of(), flows());
    }

    @Test
    void dumpAggregateAndDumpTables_countPackets() throws IOException {
        of("add-flow", "TARGET", "priority=10,in_port=1,actions=resubmit(,1)").ok();
        of("add-flow", "TARGET", "table=1,priority=10,udp,actions=output:2").ok();
        of("add-flow", "TARGET", "table=1,priority=5,arp,actions=output:2").ok();
        receive(1, UDP);
        receive(1, UDP);
        assertEquals("NXST_AGGREGATE reply (xid=0x4): packet_count=4 byte_count=168 flow_count=3\n",
                of("dump-aggregate", "TARGET").ok().stdout());
        assertEquals("NXST_AGGREGATE reply (xid=0x8): packet_count=2 byte_count=84 flow_count=1\n",
                of("dump-aggregate", "TARGET", "table=1,udp").ok().stdout());
        assertEquals("OFPST_TABLE reply (xid=0x2):\n"
                + "  table 0:\n    active=1, lookup=2, matched=2\n    max_entries=1000000\n    matching:\n"
                + "      exact match or wildcard: in_port eth_{src,dst,type} vlan_{vid,pcp} ip_{src,dst}"
                + " nw_{proto,tos} tcp_{src,dst}\n\n"
                + "  table 1:\n    active=2, lookup=2, matched=2\n    (same features)\n\n"
                + "  table 2:\n    active=0, lookup=0, matched=0\n    (same features)\n\n"
                + "  tables 3...253: ditto\n", of("dump-tables", "TARGET").ok().stdout());
    }

    @Test
    void dumpPortsAndPortsDesc() throws IOException {
        of("packet-out", "TARGET", "1", "output:2", UDP).ok();
        receive(3, UDP);
        String drop = LiveSwitch.AGAINST_OVS ? "?" : "0";
        assertEquals("OFPST_PORT reply (xid=0x2): 1 ports\n"
                + "  port  2: rx pkts=0, bytes=0, drop=" + drop + ", errs=?, frame=?, over=?, crc=?\n"
                + "           tx pkts=1, bytes=42, drop=" + drop + ", errs=?, coll=?\n",
                of("dump-ports", "TARGET", "2").ok().stdout());
        List<String> all = of("dump-ports", "TARGET").ok().lines();
        assertEquals("OFPST_PORT reply (xid=0x2): 5 ports", all.get(0));
        assertTrue(all.contains("  port  3: rx pkts=1, bytes=42, drop=" + drop + ", errs=?, frame=?, over=?, crc=?"),
                all.toString());
        String desc = macs(of("dump-ports-desc", "TARGET").ok().stdout());
        assertTrue(desc.startsWith(macs("OFPST_PORT_DESC reply (xid=0x2):\n 1(p1): addr:aa:55:00:01:00:01\n"
                + "     config:     0\n     state:      0\n     speed: 0 Mbps now, 0 Mbps max\n")), desc);
        assertEquals(5, desc.split("speed: ").length - 1, desc);
    }

    @Test
    void packetOut_framesLeaveTheRightPorts() throws IOException {
        of("packet-out", "TARGET", "1", "output:2", UDP).ok();
        of("packet-out", "TARGET", "1", "output:in_port", UDP).ok();
        of("packet-out", "TARGET", "1", "mod_dl_dst:00:00:00:00:00:aa,output:3,output:4", UDP).ok();
        of("packet-out", "TARGET", "none", "mod_vlan_vid:7,output:2", UDP).ok();
        String modified = "0000000000aa" + UDP.substring(12);
        String tagged = UDP.substring(0, 24) + "81000007" + UDP.substring(24);
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(1)));
        assertEquals(List.of(UDP, tagged), Pcap.frames(s.txPcap(2)));
        assertEquals(List.of(modified), Pcap.frames(s.txPcap(3)));
        assertEquals(List.of(modified), Pcap.frames(s.txPcap(4)));
    }

    @Test
    void monitor_printsPacketInFromControllerFlowAndTableMiss() throws Exception {
        of("add-flow", "TARGET", "cookie=0x99,priority=10,in_port=1,udp,actions=controller").ok();
        try (OfctlMonitor m = new OfctlMonitor(List.of(), s.target(), dir)) {
            receive(1, UDP);
            assertEquals(List.of("NXT_PACKET_IN2 (xid=0x0): cookie=0x99 total_len=42 in_port=1 (via action)"
                            + " data_len=42 (unbuffered)",
                    "udp,vlan_tci=0x0000,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02,nw_src=10.0.0.1,"
                            + "nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1024,tp_dst=53"
                            + " udp_csum:c0b3"),
                    m.awaitLine("cookie=0x99"));
            // OpenFlow 1.0 semantics: a table miss goes to the controller (OpenFlow 1.3 drops it).
            receive(2, UDP);
            assertEquals("NXT_PACKET_IN2 (xid=0x0): cookie=0x0 total_len=42 in_port=2 (via no_match) data_len=42"
                    + " (unbuffered)",
                    m.awaitLine("in_port=2").get(0));
        }
    }

    @Test
    void addGroup_isNxtGroupMod_dumpGroupsIsNxstGroupDesc() throws IOException {
        of("add-group", "TARGET", "group_id=1,type=all,bucket=output:2,bucket=output:3").ok();
        of("add-group", "TARGET", "group_id=2,type=select,bucket=weight:10,output:1,bucket=weight:20,"
                + "mod_dl_src:00:00:00:00:00:01,output:2").ok();
        of("add-group", "TARGET", "group_id=4,type=fast_failover,bucket=watch_port:1,output:1,"
                + "bucket=watch_port:2,watch_group:1,output:2").ok();
        List<String> groups = new ArrayList<>(of("dump-groups", "TARGET").ok().lines());
        assertEquals("NXST_GROUP_DESC reply (xid=0x2):", groups.remove(0));
        groups.sort(null);
        assertEquals(List.of(
                " group_id=1,type=all,bucket=bucket_id:0,actions=output:2,bucket=bucket_id:1,actions=output:3",
                " group_id=2,type=select,bucket=bucket_id:0,weight:10,actions=output:1,bucket=bucket_id:1,weight:20,"
                        + "actions=mod_dl_src:00:00:00:00:00:01,output:2",
                " group_id=4,type=ff,bucket=bucket_id:0,watch_port:1,actions=output:1,bucket=bucket_id:1,"
                        + "watch_port:2,watch_group:1,actions=output:2"), groups);
        assertEquals("NXST_GROUP_DESC reply (xid=0x2):\n group_id=1,type=all,bucket=bucket_id:0,actions=output:2,"
                + "bucket=bucket_id:1,actions=output:3\n", of("dump-groups", "TARGET", "1").ok().stdout());
        assertTrue(of("dump-group-features", "TARGET").ok().stdout().startsWith("NXST_GROUP_FEATURES reply"
                + " (xid=0x2):\n Group table:\n    Types:  0xf\n    Capabilities:  0x7\n"));

        of("add-flow", "TARGET", "priority=10,udp,actions=group:1").ok();
        receive(1, UDP);
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(2)));
        assertEquals(List.of(UDP), Pcap.frames(s.txPcap(3)));
        String stats = of("dump-group-stats", "TARGET").ok().stdout();
        assertTrue(stats.startsWith("NXST_GROUP reply (xid=0x6):\n"), stats);
        assertTrue(stats.matches("(?s).*group_id=1,duration=[0-9.]+s,ref_count=[0-9]+,packet_count=1,byte_count=42,"
                + "bucket0:packet_count=1,byte_count=42,bucket1:packet_count=1,byte_count=42\n.*"), stats);

        // A group added with OpenFlow 1.3 reads back in 1.0 form and the other way round.
        s.ofctl("-O", "OpenFlow13", "add-group", "TARGET", "group_id=5,type=indirect,"
                + "bucket=set_field:10.0.0.9->ip_dst,output:4").ok();
        assertTrue(of("dump-groups", "TARGET", "5").ok().stdout().endsWith(
                " group_id=5,type=indirect,bucket=bucket_id:0,actions=mod_nw_dst:10.0.0.9,output:4\n"));
        assertTrue(s.ofctl("-O", "OpenFlow13", "dump-groups", "TARGET").ok().stdout().contains(
                " group_id=2,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,"
                        + "actions=set_field:00:00:00:00:00:01->eth_src,output:2\n"));
    }

    @Test
    void flowsAddedWithTheOtherVersion_readBackAsOvsPrintsThem() {
        of("add-flow", "TARGET", "priority=3,udp,actions=mod_dl_src:00:00:00:00:00:01,mod_nw_tos:16,"
                + "mod_vlan_vid:5,mod_tp_src:99,enqueue:2:7").ok();
        s.ofctl("-O", "OpenFlow13", "add-flow", "TARGET", "priority=4,tcp,actions=set_field:10.0.0.9->ip_dst,"
                + "set_field:5->tcp_dst,push_vlan:0x8100,set_field:4101->vlan_vid,set_field:3->ip_ecn,"
                + "set_field:1->reg0,output:1").ok();
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=3,udp actions=mod_dl_src:00:00:00:00:00:01,"
                        + "mod_nw_tos:16,mod_vlan_vid:5,mod_tp_src:99,enqueue:2:7",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=4,tcp actions=mod_nw_dst:10.0.0.9,"
                        + "mod_tp_dst:5,mod_vlan_vid:5,load:0x3->NXM_NX_IP_ECN[],load:0x1->NXM_NX_REG0[],output:1"),
                flows());
        assertEquals(sorted(
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, reset_counts priority=3,udp"
                        + " actions=set_field:00:00:00:00:00:01->eth_src,set_field:4->ip_dscp,push_vlan:0x8100,"
                        + "set_field:4101->vlan_vid,set_field:99->udp_src,set_queue:7,output:2,pop_queue",
                "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=4,tcp actions=set_field:10.0.0.9->ip_dst,"
                        + "set_field:5->tcp_dst,push_vlan:0x8100,set_field:4101->vlan_vid,set_field:3->nw_ecn,"
                        + "set_field:0x1->reg0,output:1"),
                LiveSwitch.flows(s.ofctl("-O", "OpenFlow13", "dump-flows", "TARGET")));
    }
}
