package dev.ofswitch.ofswitch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Sends the same {@code ovs-ofctl packet-out} commands, whose actions use {@code ct(...)}, to real Open vSwitch 3.1
 * and to this switch, and requires both to do the same thing.
 *
 * <pre>
 *   ovs-oracle start -n 4 --listen P1 --freeze      java -jar ofswitch.jar --oracle DIR2 4 P2  (+ time/stop)
 *                 \                                              /
 *                  +--- ovs-ofctl -O OpenFlow13 packet-out tcp:127.0.0.1:P "in_port=.. packet=.. actions=.."
 *                  |
 *   after every step, on both sides:  exit status, stdout and stderr of ovs-ofctl (an OFPT_ERROR is printed there)
 *                                     frames appended to p1..p4-tx.pcap since the previous step
 *                                     dpctl/dump-conntrack -m -s | ovs-oracle normalize conntrack
 *                                     dump-flows | ovs-oracle normalize flows  (the counters of actions=table)
 * </pre>
 *
 * <p>Every test starts from the same state on both switches: the three flows of {@link #FLOWS} (counters zero) and an
 * empty conntrack table. Frames are built here by hand, with real checksums and, for TCP, a real handshake. Besides
 * the comparison, each step checks that OVS itself did what the scenario is about (a frame on port 2, an entry with
 * mark 7, ...), so the test cannot pass by both switches doing nothing.
 *
 * <p>Needs the oracle ({@code ../shared/oracle}, or {@code -Doracle.dir}), Open vSwitch ({@code ovs-vswitchd},
 * {@code ovs-ofctl}, {@code ovs-appctl}) and {@code ofswitch/target/ofswitch.jar}; without OVS or the oracle it is
 * skipped with a notice. {@code -Dpout.keep=true} keeps both run directories.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacketOutCtDifferentialIT {
    private static final Path REPO = Path.of(System.getProperty("ofswitch.repo", "..")).toAbsolutePath().normalize();
    private static final Path ORACLE = Path.of(System.getProperty("oracle.dir",
            REPO.resolve("../shared/oracle").toString())).toAbsolutePath().normalize();
    private static final Path JAR = REPO.resolve("ofswitch/target/ofswitch.jar");
    private static final int PORTS = 4;

    /** Installed before every test on both switches. */
    private static final String FLOWS = String.join("\n",
            "table=0,in_port=2,ip,actions=ct(table=1,zone=5)",
            "table=1,ct_state=+trk+est,actions=output:1",
            "table=1,ct_state=+trk+new,actions=drop",
            "");

    private static final String MAC1 = "00:00:00:00:00:01";
    private static final String MAC2 = "00:00:00:00:00:02";
    /** How long a frame that OVS is expected to send may take to show up in its pcap. */
    private static final long FRAME_WAIT_MS = 3000;
    private static final Pattern LOG_PREFIX = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|\\d+\\|");

    /** Why OVS cannot be run here (the notice already printed), or null. */
    private String skipReason;
    private Side ovs;
    private Side ours;
    private Path flowFile;

    // ------------------------------------------------------------------------------------------------ lifecycle

    @BeforeAll
    void startBothSwitches() throws Exception {
        if (!Files.isExecutable(ORACLE.resolve("ovs-oracle"))) {
            skipReason = notice("the oracle is not at " + ORACLE + " (set -Doracle.dir)");
            return;
        }
        for (String tool : List.of("ovs-ofctl", "ovs-appctl", "ovs-vswitchd", "ovsdb-server")) {
            if (!onPath(tool)) {
                skipReason = notice(tool + " is not installed (apt-get install openvswitch-switch)");
                return;
            }
        }
        assertTrue(Files.exists(JAR), "the switch jar is missing: " + JAR + " (run mvn package first)");
        flowFile = Files.createTempFile("pout-flows-", ".txt");
        Files.writeString(flowFile, FLOWS);

        ovs = new Side("ovs", Files.createTempDirectory("pout-ovs-"), freePort(), null);
        Run start = run(List.of(ORACLE.resolve("ovs-oracle").toString(), "start", "-n", String.valueOf(PORTS),
                "--dir", ovs.dir.toString(), "--listen", String.valueOf(ovs.port), "--freeze"), null, 60);
        assertEquals(0, start.rc, () -> "ovs-oracle start failed: " + start.out + start.err);

        Path dir = Files.createTempDirectory("pout-ours-");
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
                "--oracle", dir.toString(), String.valueOf(PORTS), String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("switch.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ours = new Side("ours", dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("ready"))) {
            if (!p.isAlive()) {
                throw new AssertionError("ofswitch exited early (rc=" + p.exitValue() + "): "
                        + Files.readString(dir.resolve("switch.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ofswitch wrote no ready file within 60 s: "
                        + Files.readString(dir.resolve("switch.log")));
            }
            Thread.sleep(50);
        }
        // OVS was started with --freeze; ours runs its clock until told, as the oracle does.
        appctl(ours, "time/stop");
    }

    @AfterAll
    void stopBothSwitches() throws Exception {
        try {
            if (ours != null) {
                ours.process.descendants().forEach(ProcessHandle::destroy);
                ours.process.destroy();
                if (!ours.process.waitFor(10, TimeUnit.SECONDS)) {
                    ours.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (ovs != null && Files.exists(ovs.dir.resolve("oracle.pids"))) {
                run(List.of(ORACLE.resolve("ovs-oracle").toString(), "stop", ovs.dir.toString()), null, 30);
            }
            if (!Boolean.getBoolean("pout.keep")) {
                for (Side s : Arrays.asList(ovs, ours)) {
                    if (s != null) {
                        deleteTree(s.dir);
                    }
                }
                if (flowFile != null) {
                    Files.deleteIfExists(flowFile);
                }
            }
        }
    }

    /** Same flows (counters zero), empty conntrack, and every pcap read up to its end, on both switches. */
    @BeforeEach
    void resetBothSwitches() throws Exception {
        // Skipped here rather than in @BeforeAll, so that the report lists every test as skipped.
        Assumptions.assumeTrue(skipReason == null, skipReason);
        for (Side s : List.of(ovs, ours)) {
            Run del = ofctl(s, "del-flows");
            assertEquals(0, del.rc, () -> s.name + ": del-flows: " + del.err);
            Run add = ofctl(s, "add-flows", flowFile.toString());
            assertEquals(0, add.rc, () -> s.name + ": add-flows: " + add.err);
            appctl(s, "dpctl/flush-conntrack");
            s.readNewFrames();
        }
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    /** Step 1: a committed entry with mark 7, and the frame on port 2. */
    @Test
    void commitWithExecMark_outputsFrameAndCommitsMarkedEntry() throws Exception {
        String frame = udp4(MAC1, MAC2, "10.0.0.1", "10.0.0.2", 5000, 53, "hello");
        Observation o = packetOut("commit zone 5 with mark 7",
                "in_port=1 packet=" + frame + " actions=ct(commit,zone=5,exec(set_field:0x7->ct_mark)),output:2", 1);
        assertOvs(o.frames.equals(List.of("p2 " + frame)), "OVS sends the frame unchanged on p2", o);
        assertOvs(o.conntrack.size() == 1 && o.conntrack.get(0).contains("zone=5")
                && o.conntrack.get(0).contains("mark=7"), "OVS commits one entry in zone 5 with mark 7", o);
    }

    /** Step 2: the reply recirculates into table 1 as +est and goes out of port 1; a new packet is dropped there. */
    @Test
    void replyThroughCtTable_recirculatesAsEstablished() throws Exception {
        String request = udp4(MAC1, MAC2, "10.0.0.1", "10.0.0.2", 5000, 53, "hello");
        String reply = udp4(MAC2, MAC1, "10.0.0.2", "10.0.0.1", 53, 5000, "world");
        packetOut("commit the request", "in_port=1 packet=" + request
                + " actions=ct(commit,zone=5,exec(set_field:0x7->ct_mark)),output:2", 1);
        Observation o = packetOut("reply with ct(table=1,zone=5)",
                "in_port=2 packet=" + reply + " actions=ct(table=1,zone=5)", 1);
        assertOvs(o.frames.equals(List.of("p1 " + reply)), "OVS: +est in table 1 sends the reply on p1", o);
        o = packetOut("reply through the flow table (actions=table)",
                "in_port=2 packet=" + reply + " actions=table", 1);
        assertOvs(o.frames.equals(List.of("p1 " + reply)), "OVS: table 0 -> ct(table=1) -> +est -> p1", o);
        String fresh = udp4(MAC2, MAC1, "10.0.0.2", "10.0.0.1", 5353, 5353, "new");
        o = packetOut("a new connection through the flow table is +new and dropped",
                "in_port=2 packet=" + fresh + " actions=table", 0);
        assertOvs(o.frames.isEmpty(), "OVS drops +new in table 1", o);
        o = flowsAgree("counters after the packet-outs through the table");
        assertOvs(o.flows.stream().anyMatch(l -> l.contains("n_packets=2") && l.contains("+est")),
                "OVS counts two packets on the +est flow", o);
    }

    /** Step 3: source NAT at commit translates the frame; the reply through ct(nat) is translated back. */
    @Test
    void commitWithSourceNat_translatesFrameAndReply() throws Exception {
        String frame = udp4(MAC1, MAC2, "10.0.0.3", "10.0.0.4", 6000, 7000, "hello");
        Observation o = packetOut("commit zone 6 with nat(src=192.0.2.9)",
                "in_port=1 packet=" + frame + " actions=ct(commit,zone=6,nat(src=192.0.2.9)),output:3", 1);
        String translated = udp4(MAC1, MAC2, "192.0.2.9", "10.0.0.4", 6000, 7000, "hello");
        assertOvs(o.frames.equals(List.of("p3 " + translated)), "OVS sends the source-translated frame on p3", o);
        assertOvs(o.conntrack.size() == 1 && o.conntrack.get(0).contains("dst=192.0.2.9"),
                "OVS's entry has the translated reply tuple", o);
        String reply = udp4(MAC2, MAC1, "10.0.0.4", "192.0.2.9", 7000, 6000, "world");
        o = packetOut("reply through ct(zone=6,nat)",
                "in_port=3 packet=" + reply + " actions=ct(zone=6,nat),output:1", 1);
        assertOvs(o.frames.equals(List.of("p1 " + udp4(MAC2, MAC1, "10.0.0.4", "10.0.0.3", 7000, 6000, "world"))),
                "OVS translates the reply's destination back to 10.0.0.3", o);
        String v6 = udp6(MAC1, MAC2, "fd00::1", "fd00::2", 1111, 2222, "six");
        o = packetOut("IPv6 commit with nat(src=fd00::99)",
                "in_port=1 packet=" + v6 + " actions=ct(commit,zone=6,nat(src=fd00::99)),output:2", 1);
        assertOvs(o.frames.equals(List.of("p2 " + udp6(MAC1, MAC2, "fd00::99", "fd00::2", 1111, 2222, "six"))),
                "OVS sends the IPv6 source-translated frame on p2", o);
    }

    /** Step 4: ct_clear between two commits, two ct() in one list, and one ct(table=N) followed by more actions. */
    @Test
    void ctClearAndSeveralCtActions_commitInEachZoneAndFork() throws Exception {
        String a = udp4(MAC1, MAC2, "10.0.0.5", "10.0.0.6", 1111, 2222, "a");
        Observation o = packetOut("ct(commit,zone=7),ct_clear,ct(commit,zone=8)",
                "in_port=1 packet=" + a + " actions=ct(commit,zone=7),ct_clear,ct(commit,zone=8),output:4", 1);
        assertOvs(o.conntrack.size() == 2, "OVS commits in zone 7 and in zone 8", o);
        String b = udp4(MAC1, MAC2, "10.0.0.7", "10.0.0.8", 1111, 2222, "b");
        o = packetOut("two commits without ct_clear, the second with a mark",
                "in_port=1 packet=" + b
                        + " actions=ct(commit,zone=9),ct(commit,zone=10,exec(set_field:0x3->ct_mark)),output:4", 1);
        assertOvs(o.conntrack.size() == 4, "OVS commits in zones 9 and 10 as well", o);

        String request = udp4(MAC1, MAC2, "10.0.0.1", "10.0.0.2", 5000, 53, "hello");
        String reply = udp4(MAC2, MAC1, "10.0.0.2", "10.0.0.1", 53, 5000, "world");
        packetOut("commit the request in zone 5", "in_port=1 packet=" + request
                + " actions=ct(commit,zone=5),output:2", 1);
        o = packetOut("fork: ct(table=1) twice, then output:3",
                "in_port=2 packet=" + reply + " actions=ct(table=1,zone=5),ct(table=1,zone=5),output:3", 3);
        assertOvs(o.frames.size() == 3 && o.frames.contains("p3 " + reply), "OVS: two recirculations to p1, and p3", o);
        flowsAgree("counters after the fork");
    }

    /** Step 4: the zone taken from a register, which a packet-out can set first. */
    @Test
    void registerZone_takesTheZoneFromReg0() throws Exception {
        String frame = udp4(MAC1, MAC2, "10.0.0.9", "10.0.0.10", 1111, 2222, "reg");
        Observation o = packetOut("set reg0=42 then ct(commit,zone=NXM_NX_REG0[0..15])", "in_port=1 packet=" + frame
                + " actions=set_field:0x2a->reg0,ct(commit,zone=NXM_NX_REG0[0..15]),output:4", 1);
        assertOvs(o.conntrack.size() == 1 && o.conntrack.get(0).contains("zone=42"), "OVS commits in zone 42", o);
        o = packetOut("ct(commit,zone=NXM_NX_REG0[0..15]) with reg0 unset", "in_port=1 packet=" + frame
                + " actions=ct(commit,zone=NXM_NX_REG0[0..15]),output:4", 1);
        assertOvs(o.conntrack.size() == 2, "OVS commits in zone 0 as well", o);
        o = packetOut("zone from the low bits of reg1 (0x10007 -> 7)", "in_port=1 packet=" + frame
                + " actions=load:0x10007->NXM_NX_REG1[],ct(commit,zone=NXM_NX_REG1[0..15]),output:4", 1);
        assertOvs(o.conntrack.stream().anyMatch(l -> l.contains("zone=7,")), "OVS commits in zone 7", o);
    }

    /** TCP with real sequence numbers: the handshake and data, committed through packet-outs, and a DNAT. */
    @Test
    void tcpHandshakeByPacketOut_tracksStatesAndDestinationNat() throws Exception {
        String c = "10.0.0.30";
        String s = "10.0.0.40";
        packetOut("SYN", "in_port=1 packet=" + tcp4(MAC1, MAC2, c, s, 40000, 80, 1000, 0, SYN, "")
                + " actions=ct(commit,zone=11),output:2", 1);
        packetOut("SYN-ACK", "in_port=2 packet=" + tcp4(MAC2, MAC1, s, c, 80, 40000, 5000, 1001, SYN | ACK, "")
                + " actions=ct(commit,zone=11),output:1", 1);
        packetOut("ACK", "in_port=1 packet=" + tcp4(MAC1, MAC2, c, s, 40000, 80, 1001, 5001, ACK, "")
                + " actions=ct(commit,zone=11),output:2", 1);
        Observation o = packetOut("data", "in_port=1 packet=" + tcp4(MAC1, MAC2, c, s, 40000, 80, 1001, 5001,
                PSH | ACK, "GET /") + " actions=ct(commit,zone=11),output:2", 1);
        assertOvs(o.conntrack.size() == 1 && o.conntrack.get(0).contains("ESTABLISHED"),
                "OVS has the connection ESTABLISHED", o);
        packetOut("FIN from the server", "in_port=2 packet=" + tcp4(MAC2, MAC1, s, c, 80, 40000, 5001, 1006,
                FIN | ACK, "") + " actions=ct(zone=11),output:1", 1);

        o = packetOut("SYN with nat(dst=10.0.0.50:8080)", "in_port=1 packet="
                + tcp4(MAC1, MAC2, c, "10.0.0.60", 40001, 80, 7000, 0, SYN, "")
                + " actions=ct(commit,zone=12,nat(dst=10.0.0.50:8080)),output:2", 1);
        assertOvs(o.frames.equals(List.of("p2 " + tcp4(MAC1, MAC2, c, "10.0.0.50", 40001, 8080, 7000, 0, SYN, ""))),
                "OVS rewrites destination address and port", o);
        o = packetOut("SYN-ACK back through ct(zone=12,nat)", "in_port=2 packet="
                + tcp4(MAC2, MAC1, "10.0.0.50", c, 8080, 40001, 9000, 7001, SYN | ACK, "")
                + " actions=ct(zone=12,nat),output:1", 1);
        assertOvs(o.frames.equals(List.of("p1 "
                + tcp4(MAC2, MAC1, "10.0.0.60", c, 80, 40001, 9000, 7001, SYN | ACK, ""))),
                "OVS translates the SYN-ACK's source back", o);
    }

    /**
     * What OVS refuses in a packet-out with ct(), and what it lets through, on the switch side (an OFPT_ERROR that
     * ovs-ofctl prints) and on the client side (ovs-ofctl refuses to send). OVS checks a packet-out's actions against
     * the flow extracted from its packet ({@code ofproto_packet_out_init()} calls {@code ofpacts_check_consistency()}
     * with the packet's own fields as the match).
     */
    static Stream<Arguments> rejections() {
        String arp = arp(MAC1, "10.0.0.1", "10.0.0.2");
        String udp = udp4(MAC1, MAC2, "10.0.0.21", "10.0.0.22", 1111, 2222, "x");
        String tcp = tcp4(MAC1, MAC2, "10.0.0.23", "10.0.0.24", 1111, 21, 1000, 0, SYN, "");
        String v6 = udp6(MAC1, MAC2, "fd00::1", "fd00::2", 1111, 2222, "x");
        return Stream.of(
                Arguments.of("ct(commit) on an ARP frame", arp, "ct(commit,zone=5),output:2", false),
                Arguments.of("ct(table=1) on an ARP frame", arp, "ct(table=1,zone=5)", false),
                Arguments.of("ct(commit,nat) on an ARP frame", arp, "ct(commit,zone=5,nat(src=192.0.2.9)),output:2",
                        false),
                Arguments.of("ct_clear on an ARP frame (allowed)", arp, "ct_clear,output:2", true),
                Arguments.of("alg=ftp on a UDP frame", udp, "ct(commit,alg=ftp),output:2", false),
                Arguments.of("alg=tftp on a TCP frame", tcp, "ct(commit,alg=tftp),output:2", false),
                Arguments.of("alg=ftp on a TCP frame (allowed)", tcp, "ct(commit,alg=ftp),output:2", true),
                Arguments.of("IPv4 nat range on an IPv6 frame", v6, "ct(commit,zone=6,nat(src=192.0.2.9)),output:2",
                        false),
                Arguments.of("IPv6 nat range on an IPv4 frame", udp, "ct(commit,zone=6,nat(src=fd00::9)),output:2",
                        false),
                Arguments.of("exec(set_field ct_mark) without commit", udp,
                        "ct(zone=5,exec(set_field:0x1->ct_mark)),output:2", false),
                Arguments.of("set_field ct_mark outside ct (ovs-ofctl refuses)", udp, "set_field:0x1->ct_mark,output:2",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void packetOutRefusedOrAccepted_likeOvs(String what, String frame, String actions, boolean accepted)
            throws Exception {
        Observation o = packetOut(what, "in_port=1 packet=" + frame + " actions=" + actions, accepted ? 1 : 0);
        assertOvs((o.rc == 0) == accepted, "OVS " + (accepted ? "accepts" : "refuses") + " it", o);
        assertOvs(accepted || o.frames.isEmpty() && o.conntrack.isEmpty(), "OVS sends and commits nothing", o);
    }

    // ------------------------------------------------------------------------------------------------ steps

    /** What one ovs-ofctl command did to one switch. */
    private record Observation(int rc, String stdout, String stderr, List<String> frames, List<String> conntrack,
            List<String> flows) {
        String render() {
            StringBuilder b = new StringBuilder();
            b.append("exit status ").append(rc).append('\n');
            b.append("stdout:").append(indent(stdout));
            b.append("stderr:").append(indent(stderr));
            b.append("frames sent:").append(indent(String.join("\n", frames)));
            b.append("conntrack:").append(indent(String.join("\n", conntrack)));
            if (flows != null) {
                b.append("flows:").append(indent(String.join("\n", flows)));
            }
            return b.toString();
        }

        private static String indent(String s) {
            return s.isEmpty() ? " (none)\n" : "\n    " + s.strip().replace("\n", "\n    ") + "\n";
        }
    }

    /**
     * Runs {@code ovs-ofctl packet-out TARGET SPEC} on both switches and asserts that they agree. {@code ovsFrames}
     * is how many frames OVS is expected to send: its pcaps are polled until that many appeared (or 3 s passed).
     */
    private Observation packetOut(String step, String spec, int ovsFrames) throws Exception {
        return compare(step, ovsFrames, false, "packet-out", spec);
    }

    private Observation flowsAgree(String step) throws Exception {
        return compare(step, 0, true, "dump-flows");
    }

    private Observation compare(String step, int ovsFrames, boolean withFlows, String... ofctlArgs)
            throws Exception {
        Observation theirs = observe(ovs, ovsFrames, withFlows, ofctlArgs);
        Observation mine = observe(ours, ovsFrames, withFlows, ofctlArgs);
        String a = theirs.render();
        String b = mine.render();
        if (!a.equals(b)) {
            // Both sides in the message (the report shows it whole), and as expected/actual for an IDE's diff view.
            throw new AssertionFailedError("step \"" + step + "\": ofswitch differs from OVS 3.1 for ovs-ofctl "
                    + String.join(" ", ofctlArgs) + "\n--- OVS 3.1:\n" + a + "--- ofswitch:\n" + b, a, b);
        }
        return theirs;
    }

    private Observation observe(Side s, int minFrames, boolean withFlows, String... ofctlArgs) throws Exception {
        Run r = ofctl(s, ofctlArgs);
        List<String> frames = s.awaitNewFrames(minFrames);
        List<String> ct = normalize("conntrack", appctl(s, "dpctl/dump-conntrack", "-m", "-s"));
        List<String> flows = withFlows ? normalize("flows", r.out) : null;
        String stdout = withFlows ? "" : clean(r.out, s);
        return new Observation(r.rc, stdout, clean(r.err, s), frames, ct, flows);
    }

    /** ovs-ofctl's output without log timestamps and without the switch's own TCP port. */
    private static String clean(String text, Side s) {
        return LOG_PREFIX.matcher(text).replaceAll("").replace(":" + s.port, ":PORT");
    }

    private List<String> normalize(String what, String text) throws Exception {
        Run r = run(List.of(ORACLE.resolve("ovs-oracle").toString(), "normalize", what), text, 30);
        assertEquals(0, r.rc, () -> "ovs-oracle normalize " + what + ": " + r.err);
        return r.out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static void assertOvs(boolean ok, String what, Observation o) {
        assertTrue(ok, () -> "the scenario does not do what it is meant to on real OVS: " + what + "\n" + o.render());
    }

    // ------------------------------------------------------------------------------------------------ switches

    /** One switch: its run directory, OpenFlow port, and how far each pN-tx.pcap has been read. */
    private static final class Side {
        final String name;
        final Path dir;
        final int port;
        final Process process;
        final long[] pcapOffset = new long[PORTS + 1];

        Side(String name, Path dir, int port, Process process) {
            this.name = name;
            this.dir = dir;
            this.port = port;
            this.process = process;
            Arrays.fill(pcapOffset, 24);
        }

        /** Polls until at least {@code min} new frames (all ports) were written, then returns and consumes them. */
        List<String> awaitNewFrames(int min) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FRAME_WAIT_MS);
            while (peekNewFrames(false).size() < min && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return readNewFrames();
        }

        List<String> readNewFrames() throws IOException {
            return peekNewFrames(true);
        }

        /** The complete pcap records after each port's offset, as "pK HEX", ports in order. */
        private List<String> peekNewFrames(boolean consume) throws IOException {
            List<String> out = new ArrayList<>();
            for (int k = 1; k <= PORTS; k++) {
                Path f = dir.resolve("p" + k + "-tx.pcap");
                if (!Files.exists(f)) {
                    continue;
                }
                byte[] data = Files.readAllBytes(f);
                long off = pcapOffset[k];
                while (off + 16 <= data.length) {
                    ByteBuffer rec = ByteBuffer.wrap(data, (int) off, 16).order(pcapOrder(data));
                    int inclLen = rec.getInt((int) off + 8);
                    if (off + 16 + inclLen > data.length) {
                        break;          // a record still being written
                    }
                    out.add("p" + k + " " + HexFormat.of().formatHex(data, (int) off + 16, (int) off + 16 + inclLen));
                    off += 16 + inclLen;
                }
                if (consume) {
                    pcapOffset[k] = off;
                }
            }
            return out;
        }

        private static ByteOrder pcapOrder(byte[] data) {
            return data.length >= 4 && (data[0] & 0xff) == 0xa1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    private record Run(int rc, String out, String err) {
    }

    private static Run ofctl(Side s, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", args[0],
                "tcp:127.0.0.1:" + s.port));
        cmd.addAll(Arrays.asList(args).subList(1, args.length));
        return run(cmd, null, 30);
    }

    private static String appctl(Side s, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", s.dir.resolve("ovs-vswitchd.ctl").toString()));
        cmd.addAll(Arrays.asList(args));
        Run r = run(cmd, null, 30);
        assertEquals(0, r.rc, () -> s.name + ": ovs-appctl " + String.join(" ", args) + ": " + r.err);
        return r.out;
    }

    private static Run run(List<String> cmd, String stdin, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("pout-", ".out");
        Path err = Files.createTempFile("pout-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var w = p.getOutputStream()) {
                    w.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String notice(String why) {
        String msg = "SKIPPED PacketOutCtDifferentialIT: " + why;
        System.err.println("*** " + msg);
        return msg;
    }

    private static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------------ frames

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    /** Ethernet + IPv4 (TTL 64, id 0) + UDP with its checksum, as hex. */
    static String udp4(String srcMac, String dstMac, String src, String dst, int sport, int dport, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer l4 = ByteBuffer.allocate(8 + data.length);
        l4.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length)).putShort((short) 0)
                .put(data);
        byte[] u = l4.array();
        int c = l4Checksum(ip4(src), ip4(dst), 17, u);
        putShort(u, 6, c == 0 ? 0xffff : c);
        return hex(ether(srcMac, dstMac, 0x0800, ipv4(src, dst, 17, u)));
    }

    /** Ethernet + IPv4 + TCP (20-byte header, window 65535) with its checksum, as hex. */
    static String tcp4(String srcMac, String dstMac, String src, String dst, int sport, int dport, long seq, long ack,
            int flags, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer l4 = ByteBuffer.allocate(20 + data.length);
        l4.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 0xffff).putShort((short) 0).putShort((short) 0)
                .put(data);
        byte[] t = l4.array();
        putShort(t, 16, l4Checksum(ip4(src), ip4(dst), 6, t));
        return hex(ether(srcMac, dstMac, 0x0800, ipv4(src, dst, 6, t)));
    }

    /** Ethernet + IPv6 (hop limit 64) + UDP with its checksum, as hex. */
    static String udp6(String srcMac, String dstMac, String src, String dst, int sport, int dport, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer l4 = ByteBuffer.allocate(8 + data.length);
        l4.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length)).putShort((short) 0)
                .put(data);
        byte[] u = l4.array();
        byte[] s = ip6(src);
        byte[] d = ip6(dst);
        int c = l4Checksum(s, d, 17, u);
        putShort(u, 6, c == 0 ? 0xffff : c);
        ByteBuffer ip = ByteBuffer.allocate(40 + u.length);
        ip.putInt(0x60000000).putShort((short) u.length).put((byte) 17).put((byte) 64).put(s).put(d).put(u);
        return hex(ether(srcMac, dstMac, 0x86dd, ip.array()));
    }

    /** An ARP request (42 bytes, unpadded), broadcast. */
    static String arp(String srcMac, String spa, String tpa) {
        ByteBuffer a = ByteBuffer.allocate(28);
        a.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1)
                .put(mac(srcMac)).put(ip4(spa)).put(new byte[6]).put(ip4(tpa));
        return hex(ether(srcMac, "ff:ff:ff:ff:ff:ff", 0x0806, a.array()));
    }

    private static byte[] ether(String srcMac, String dstMac, int ethertype, byte[] payload) {
        return ByteBuffer.allocate(14 + payload.length).put(mac(dstMac)).put(mac(srcMac))
                .putShort((short) ethertype).put(payload).array();
    }

    private static byte[] ipv4(String src, String dst, int proto, byte[] l4) {
        ByteBuffer h = ByteBuffer.allocate(20 + l4.length);
        h.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(ip4(src)).put(ip4(dst));
        byte[] b = h.array();
        putShort(b, 10, checksum(b, 0, 20, 0));
        System.arraycopy(l4, 0, b, 20, l4.length);
        return b;
    }

    /** The TCP/UDP checksum over the IPv4 or IPv6 pseudo-header (both reduce to the same one's-complement sum). */
    private static int l4Checksum(byte[] src, byte[] dst, int proto, byte[] l4) {
        long sum = sum(src, 0, src.length) + sum(dst, 0, dst.length) + proto + l4.length;
        return checksum(l4, 0, l4.length, sum);
    }

    private static int checksum(byte[] b, int off, int len, long initial) {
        long s = initial + sum(b, off, len);
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        return s;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }

    private static byte[] mac(String mac) {
        return HexFormat.of().parseHex(mac.replace(":", ""));
    }

    private static byte[] ip4(String a) {
        String[] p = a.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(p[i]);
        }
        return b;
    }

    private static byte[] ip6(String a) {
        try {
            return java.net.InetAddress.getByName(a).getAddress();  // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
