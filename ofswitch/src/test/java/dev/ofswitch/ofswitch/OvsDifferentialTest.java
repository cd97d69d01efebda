package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * This switch and a real ovs-vswitchd 3.1 ({@code ovs-oracle start}) side by side, driven by the same ovs-ofctl:
 * the same flow files must dump the same ({@code ovs-oracle normalize flows}), in OpenFlow 1.0, 1.3 and 1.4, and the
 * same frames must leave the same ports with the same bytes and count against the same flows. Skipped, loudly,
 * without the oracle (ovs-vswitchd, ovsdb-server, ovs-oracle).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OvsDifferentialTest {
    /** Conntrack actions, which this switch does not accept yet. */
    private static final Pattern CT_ACTION = Pattern.compile("ct\\(|ct_clear|nat\\(");

    @TempDir
    static Path dir;
    LiveSwitch ours;
    LiveSwitch ovs;

    /** Null when the oracle is missing: every test is then skipped, loudly, in {@link #clear()}. */
    String missing;

    @BeforeAll
    void start() throws IOException {
        try {
            Tools.requireOracle("differential tests against ovs-vswitchd");
        } catch (org.opentest4j.TestAbortedException e) {
            missing = e.getMessage();
            return;
        }
        Files.createDirectories(dir.resolve("ours"));
        ours = LiveSwitch.start(dir.resolve("ours"), 4);
        ovs = LiveSwitch.startOvs(dir);
    }

    @AfterAll
    void stop() {
        if (ours != null) {
            ours.close();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @BeforeEach
    void clear() {
        if (missing != null) {
            Assumptions.abort(missing);
        }
        for (LiveSwitch s : both()) {
            s.ofctl("-O", "OpenFlow13", "del-flows", "TARGET").ok();
            s.ofctl("-O", "OpenFlow13", "del-groups", "TARGET").ok();
        }
    }

    private List<LiveSwitch> both() {
        return List.of(ours, ovs);
    }

    /** dump-flows through {@code ovs-oracle normalize flows} (no durations, no zero cookies, sorted). */
    private static String normalizedDump(LiveSwitch s, String version) {
        Tools.Result dump = s.ofctl("-O", version, "dump-flows", "TARGET").ok();
        ProcessBuilder pb = new ProcessBuilder(Tools.ORACLE.toString(), "normalize", "flows");
        try {
            Process p = pb.start();
            p.getOutputStream().write(dump.stdout().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("ovs-oracle normalize flows failed");
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void assertSameDumps(int expectedFlows, String... versions) {
        for (String v : versions) {
            String mine = normalizedDump(ours, v);
            assertEquals(normalizedDump(ovs, v), mine, "dump-flows -O " + v);
            assertEquals(expectedFlows, mine.lines().count(), v + ":\n" + mine);
        }
    }

    @Test
    void exampleFlowsWithoutCtActions_dumpAsOvs() throws IOException {
        Path examples = Tools.ORACLE.getParent().resolve("examples");
        List<String> flows = new ArrayList<>();
        try (var cases = Files.list(examples)) {
            for (Path c : cases.sorted().toList()) {
                Path f = c.resolve("flows.txt");
                if (!Files.exists(f)) {
                    continue;
                }
                for (String l : Files.readAllLines(f)) {
                    String t = l.trim();
                    if (!t.isEmpty() && !t.startsWith("#") && !CT_ACTION.matcher(t).find() && !flows.contains(t)) {
                        flows.add(t);
                    }
                }
            }
        }
        assertTrue(flows.size() >= 10, "few example flows without ct actions: " + flows);
        Path file = dir.resolve("examples-no-ct.txt");
        Files.write(file, flows);
        for (LiveSwitch s : both()) {
            s.ofctl("-O", "OpenFlow13", "add-flows", "TARGET", file.toString()).ok();
        }
        assertSameDumps(flows.size(), "OpenFlow13", "OpenFlow14", "OpenFlow10", "OpenFlow15");
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (var in = getClass().getResourceAsStream("/differential/" + name)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    private void loadOwnFlows(String... protocol) throws IOException {
        Path file = resource("flows-no-ct.txt");
        for (LiveSwitch s : both()) {
            s.ofctl("-O", "OpenFlow13", "add-group", "TARGET", "group_id=1,type=all,bucket=output:1").ok();
            List<String> args = new ArrayList<>(List.of(protocol));
            args.addAll(List.of("add-flows", "TARGET", file.toString()));
            s.ofctl(args.toArray(new String[0])).ok();
        }
    }

    private static int flowCount() throws IOException {
        try (var in = OvsDifferentialTest.class.getResourceAsStream("/differential/flows-no-ct.txt")) {
            return (int) new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        }
    }

    @Test
    void ownFlowFile_addedWithOf13_dumpsAsOvsIn10_13_14_15() throws IOException {
        loadOwnFlows("-O", "OpenFlow13");
        assertSameDumps(flowCount(), "OpenFlow13", "OpenFlow14", "OpenFlow10", "OpenFlow15");
    }

    @Test
    void ownFlowFile_sameFramesOutSamePortsAndCounters() throws IOException {
        loadOwnFlows("-O", "OpenFlow13");
        int frames = 0;
        int sent = 0;
        try (var in = getClass().getResourceAsStream("/differential/frames.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split(" ", 3);
                List<List<String>> before = new ArrayList<>();
                for (LiveSwitch s : both()) {
                    before.add(txFrames(s));
                    s.receive(Integer.parseInt(w[0]), w[1]);
                }
                // Every frame each switch sent because of this one, per port.
                List<String> mine = newFrames(ours, before.get(0));
                assertEquals(newFrames(ovs, before.get(1)), mine, line);
                frames++;
                sent += mine.size();
            }
        }
        assertEquals(18, frames);
        assertEquals(18, sent, "frames sent (the same by both switches) for the 18 frames in");
        assertSameDumps(flowCount(), "OpenFlow13");
    }

    private static List<String> txFrames(LiveSwitch s) throws IOException {
        List<String> all = new ArrayList<>();
        for (String p : List.of("p1", "p2", "p3", "p4", "LOCAL")) {
            for (String f : Pcap.frames(s.dir.resolve(p + "-tx.pcap"))) {
                all.add(p + " " + f);
            }
        }
        return all;
    }

    private static List<String> newFrames(LiveSwitch s, List<String> before) throws IOException {
        List<String> now = new ArrayList<>(txFrames(s));
        for (String b : before) {
            now.remove(b);
        }
        return now;
    }

    @Test
    void ownFlowFile_addedWithOf10_dumpsAsOvs() throws IOException {
        Path file = dir.resolve("of10.txt");
        Files.write(file, List.of(
                "priority=10,in_port=1,dl_src=50:54:00:00:00:01,actions=mod_dl_dst:00:00:00:00:00:02,output:2",
                "priority=20,ip,nw_src=10.0.0.0/8,nw_tos=16,actions=mod_nw_src:1.1.1.1,mod_nw_tos:32,resubmit(,1)",
                "priority=30,udp,tp_dst=53,actions=mod_tp_dst:54,enqueue:2:3",
                "priority=40,dl_vlan=7,actions=mod_vlan_vid:8,mod_vlan_pcp:1,output:3",
                "priority=41,dl_vlan=8,actions=strip_vlan,output:3",
                "priority=50,arp,arp_op=2,actions=controller:64,normal",
                "table=1,priority=5,tcp,tp_src=80,actions=load:0x3->NXM_NX_REG0[],"
                        + "move:NXM_NX_REG0[0..7]->NXM_NX_REG1[8..15],output:4",
                "table=1,priority=6,icmp,actions=dec_ttl,set_field:10.0.0.9->ip_dst,output:in_port",
                "table=1,priority=7,ipv6,actions=set_field:fd00::9->ipv6_src,output:LOCAL",
                "table=1,priority=8,actions=drop"));
        for (LiveSwitch s : both()) {
            s.ofctl("add-flows", "TARGET", file.toString()).ok();
        }
        assertSameDumps(10, "OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15");
    }

    @Test
    void flowsAddedWithOf15_dumpAsOvs() throws IOException {
        Path file = dir.resolve("of15.txt");
        Files.write(file, List.of(
                "reg0=1,actions=move:NXM_NX_REG0[]->NXM_NX_REG1[],set_field:0x5/0xf->reg2,output:1",
                "priority=3,ip,actions=set_field:0x10/0xf0->reg3,set_field:10.0.0.0/255.0.0.0->ip_dst,output:2",
                "priority=4,ipv6,actions=set_field:fd00::/ffff::->ipv6_src,output:2",
                "priority=5,actions=set_field:0x1->reg0,move:NXM_NX_REG0[0..7]->NXM_NX_REG1[8..15],output:3",
                "priority=6,tcp,actions=set_field:0x12/0xf0ff->tcp_dst,goto_table:1",
                "table=1,priority=7,udp,actions=set_field:53->udp_dst,output:4"));
        for (LiveSwitch s : both()) {
            s.ofctl("-O", "OpenFlow15", "add-flows", "TARGET", file.toString()).ok();
        }
        // OpenFlow 1.0 too: where OVS 3.1 has a 1.0 rewrite for the field (tp_dst, nw_dst) it sends that and drops the
        // mask (set_field_to_legacy_openflow()), so 0x12/0xf0ff on tcp_dst dumps as mod_tp_dst:18; so do we.
        assertSameDumps(6, "OpenFlow15", "OpenFlow14", "OpenFlow13", "OpenFlow10");
    }

    @Test
    void groups_dumpAsOvsInEveryVersion() {
        for (LiveSwitch s : both()) {
            s.ofctl("-O", "OpenFlow13", "add-group", "TARGET", "group_id=1,type=all,bucket=output:1,"
                    + "bucket=set_field:10.0.0.1->ip_src,output:2").ok();
            s.ofctl("-O", "OpenFlow13", "add-group", "TARGET", "group_id=2,type=select,bucket=weight:5,output:3,"
                    + "bucket=weight:7,mod_dl_dst:00:00:00:00:00:01,output:4").ok();
            s.ofctl("add-group", "TARGET", "group_id=3,type=indirect,bucket=mod_vlan_vid:5,output:1").ok();
            s.ofctl("add-group", "TARGET", "group_id=4,type=fast_failover,bucket=watch_port:2,output:2,"
                    + "bucket=watch_port:3,watch_group:1,output:3").ok();
        }
        List<List<String>> versions = List.of(List.of(), List.of("-O", "OpenFlow13"), List.of("-O", "OpenFlow14"),
                List.of("-O", "OpenFlow15"));
        for (List<String> v : versions) {
            List<String> args = new ArrayList<>(v);
            args.addAll(List.of("dump-groups", "TARGET"));
            assertEquals(sortedLines(ovs.ofctl(args.toArray(new String[0])).ok().stdout()),
                    sortedLines(ours.ofctl(args.toArray(new String[0])).ok().stdout()), "dump-groups " + v);
        }
    }

    private static List<String> sortedLines(String text) {
        List<String> l = new ArrayList<>(text.lines().toList());
        l.sort(null);
        return l;
    }
}
