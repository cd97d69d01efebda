package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.Tools;
import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.PacketOut;
import dev.ofswitch.ofswitch.codec.Hex;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link OfctlRequests} against ovs-ofctl 3.1: for each case (packet-out in both syntaxes, dump-flows with a flow,
 * dump-ports), the messages ovs-ofctl sent to a listening socket ({@link OfctlCapture}), transaction ids aside, or the
 * message it refused the arguments with. Live where ovs-ofctl is installed; {@code golden/ofctl-requests.txt} keeps
 * its answers for machines without it.
 *
 * <h2>Regenerating the golden file</h2>
 * <pre>
 * mvn -o -q -pl ofswitch surefire:test -Dtest=OfctlRequestsTest#regenerate -Dofctl.regenerate=true
 * </pre>
 * Layout: {@code @ VERSION} sets the wire version; {@code > ARG|ARG|...} is one ovs-ofctl command line after the
 * options (the target inserted after the command); then one {@code = HEX} per message sent (xid zeroed) or one
 * {@code ! MESSAGE}.
 */
class OfctlRequestsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/ofctl-requests.txt");
    private static final String P = "50540000000250540000000108004500001d00010000401166cd0a0000010a000002138800350009"
            + "671c71";
    private static final String ARP = "ffffffffffff0000000000010806000108000604000100000000000a0a000001000000000000"
            + "0a000002";

    /** Command lines (after ovs-ofctl's options), '|' between arguments. */
    static final List<String> CASES = List.of(
            "packet-out|1|output:2|" + P,
            "packet-out|1|ct(commit,zone=9),output:2|" + P,
            "packet-out|LOCAL|output:1,output:2|" + P + "|" + ARP,
            "packet-out|CONTROLLER|normal|" + ARP,
            "packet-out|none|drop|" + ARP,
            "packet-out|2|set_field:10.0.0.9->ip_dst,output:in_port|" + P,
            "packet-out|2|mod_dl_src:00:11:22:33:44:55,strip_vlan,controller(reason=action_set),output:1|" + P,
            "packet-out|1|push_vlan:0x8100,set_field:5->vlan_vid,output:3|" + P,
            "packet-out|1|resubmit(,2)|" + P,
            "packet-out|1|load:0x5->NXM_NX_REG0[],output:2|" + P,
            "packet-out|1|dec_ttl,output:2|" + P,
            "packet-out|1|output:2|50 54 00 00 00 02 50 54 00 00 00 01 08 00 45 00",
            "packet-out|1|output:2|5054000000025054000000010800zz",
            "packet-out|1|output:2|50540000000250540000000108",
            "packet-out|1|goto_table:1|" + P,
            "packet-out|1|frobnicate|" + P,
            "packet-out|1|output:2",
            "packet-out|in_port=1,packet=" + P + ",actions=output:2",
            "packet-out|packet=" + P + ",actions=output:2",
            "packet-out|in_port=LOCAL packet=" + ARP + " actions=ct(commit),output:1",
            "packet-out|in_port=1,reg0=5,packet=" + P + ",actions=output:2",
            "packet-out|in_port=1,reg3=0x10/0xff,metadata=0x99,packet=" + P + ",actions=output:2",
            "packet-out|in_port=1,tun_id=0x55,packet=" + P + ",actions=output:2",
            "packet-out|in_port=1,packet=" + P,
            "packet-out|in_port=1,actions=output:2",
            "packet-out|in_port=1,ip,packet=" + P + ",actions=output:2",
            "packet-out|in_port=1,nw_src=10.0.0.1,packet=" + P + ",actions=output:2",
            "packet-out|in_port=1,foo=3,packet=" + P + ",actions=output:2",
            "packet-out|in_port=0xfff0,packet=" + P + ",actions=output:2",
            "packet-out|in_port=1,packet=" + P + "xy,actions=output:2",
            "packet-out|in_port=1,packet=,actions=output:2",
            "dump-flows",
            "dump-flows|table=1",
            "dump-flows|in_port=1",
            "dump-flows|cookie=0x5/-1",
            "dump-flows|cookie=0x5/0xf,table=2",
            "dump-flows|out_port=2",
            "dump-flows|tcp,tp_dst=80,nw_src=10.0.0.0/8",
            "dump-flows|ct_state=+trk+est,ct_zone=5,ip",
            "dump-flows|reg0=5,metadata=0x7/0xff",
            "dump-flows|out_group=5",
            "dump-flows|priority=5",
            "dump-flows|ipv6,ipv6_src=2001:db8::/32,table=3,out_port=LOCAL",
            "dump-flows|actions=drop",
            "dump-ports",
            "dump-ports|2",
            "dump-ports|LOCAL");

    /** What ovs-ofctl did for one case: the messages, or its refusal. */
    record Answer(List<String> messagesHex, String error) {
    }

    /** What our code sends (xid 0) for {@code args} over {@code version}, or its refusal. */
    static Answer ours(int version, List<String> args) {
        String cmd = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            List<byte[]> msgs = new ArrayList<>();
            switch (cmd) {
                case "packet-out": {
                    OfctlRequests.Batch b;
                    if (rest.size() >= 3) {
                        int port = OfctlFlows.portFromString(rest.get(0));
                        b = OfctlRequests.packetOut(port, rest.get(1), rest.subList(2, rest.size()), version,
                                n -> -1);
                    } else if (rest.size() == 1) {
                        b = OfctlRequests.packetOut(rest.get(0), version, n -> -1);
                    } else {
                        return new Answer(List.of(), "Too many arguments (4)");
                    }
                    msgs.addAll(b.preamble());
                    msgs.addAll(b.messages());
                    break;
                }
                case "dump-flows": {
                    OfctlRequests.Batch b = OfctlRequests.flowStatsRequest(rest.isEmpty() ? "" : rest.get(0),
                            version, n -> -1);
                    msgs.addAll(b.preamble());
                    msgs.addAll(b.messages());
                    break;
                }
                case "dump-ports": {
                    int port = rest.isEmpty() ? Action.OFPP_NONE : OfctlFlows.portFromString(rest.get(0));
                    msgs.add(OfctlRequests.portStatsRequest(version, port, 0));
                    break;
                }
                default:
                    throw new IllegalArgumentException(cmd);
            }
            List<String> hex = new ArrayList<>();
            for (byte[] m : msgs) {
                hex.add(Hex.encode(OfctlFlows.withXid(m, 0)));
            }
            return new Answer(hex, null);
        } catch (OfctlParseException e) {
            return new Answer(List.of(), e.getMessage());
        }
    }

    /** What ovs-ofctl sends for {@code args}. */
    static Answer theirs(OfctlCapture capture, int version, List<String> args) {
        OfctlCapture.Run r = capture.runArgs(version, args);
        if (r.exitCode() != 0) {
            return new Answer(List.of(), r.error());
        }
        List<String> hex = new ArrayList<>();
        for (byte[] m : r.flowMods()) {
            hex.add(Hex.encode(OfctlFlows.withXid(m, 0)));
        }
        return new Answer(hex, null);
    }

    private static final int[] VERSIONS = {OfVersion.OF10, OfVersion.OF13, OfVersion.OF14, OfVersion.OF15};

    @Test
    void everyCase_sameMessagesAsOvsOfctl_live() throws IOException {
        Tools.require("OfctlRequestsTest live comparison", "ovs-ofctl");
        List<String> diffs = new ArrayList<>();
        int same = 0;
        try (OfctlCapture capture = OfctlCapture.start()) {
            for (int v : VERSIONS) {
                for (String c : CASES) {
                    List<String> args = Arrays.asList(c.split("\\|"));
                    Answer theirs = theirs(capture, v, args);
                    Answer ours = ours(v, args);
                    if (theirs.equals(ours)) {
                        same++;
                    } else {
                        diffs.add("v" + v + " " + c + "\n  ovs-ofctl: " + theirs + "\n  ours:      " + ours);
                    }
                }
            }
        }
        System.out.printf("ofctl requests: %d of %d cases identical to ovs-ofctl 3.1%n", same,
                CASES.size() * VERSIONS.length);
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    @Test
    void recorded_sameMessagesAsOvsOfctl() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/golden/ofctl-requests.txt")) {
            if (in == null) {
                throw new IOException("missing test resource golden/ofctl-requests.txt");
            }
            lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
        int version = 0;
        List<String> args = null;
        List<String> hex = new ArrayList<>();
        String error = null;
        int checked = 0;
        List<String> all = new ArrayList<>(lines);
        all.add("@ 0");
        for (String line : all) {
            if (line.startsWith("> ") || line.startsWith("@ ")) {
                if (args != null) {
                    assertEquals(new Answer(List.copyOf(hex), error), ours(version, args), "v" + version + " "
                            + args);
                    checked++;
                }
                args = null;
                hex.clear();
                error = null;
                if (line.startsWith("@ ")) {
                    version = Integer.parseInt(line.substring(2));
                } else {
                    args = Arrays.asList(line.substring(2).split("\\|"));
                }
            } else if (line.startsWith("= ")) {
                hex.add(line.substring(2));
            } else if (line.startsWith("! ")) {
                error = line.substring(2);
            }
        }
        assertEquals(CASES.size() * VERSIONS.length, checked, "cases in the golden file");
    }

    /** The packet-outs decode with the switch's own codec to the in_port, actions length and packet given. */
    @Test
    void packetOut_decodesWithTheSwitchCodec() throws Exception {
        for (int v : VERSIONS) {
            OfctlRequests.Batch b = OfctlRequests.packetOut(3, "output:2", List.of(P), v, n -> -1);
            PacketOut po = PacketOut.decode(Unpooled.wrappedBuffer(b.messages().get(0)), null);
            assertEquals(3, po.inPort(), "v" + v);
            assertEquals(P, Hex.encode(po.data()), "v" + v);
            assertEquals(1, po.actions().actions().size(), "v" + v);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "ofctl.regenerate", matches = "true")
    void regenerate() throws IOException {
        Tools.require("OfctlRequestsTest.regenerate", "ovs-ofctl");
        StringBuilder s = new StringBuilder("# ovs-ofctl 3.1 --no-names: messages sent (xid 0) or refusal; "
                + "see OfctlRequestsTest\n");
        try (OfctlCapture capture = OfctlCapture.start()) {
            for (int v : VERSIONS) {
                s.append("@ ").append(v).append('\n');
                for (String c : CASES) {
                    Answer a = theirs(capture, v, Arrays.asList(c.split("\\|")));
                    s.append("> ").append(c).append('\n');
                    for (String h : a.messagesHex()) {
                        s.append("= ").append(h).append('\n');
                    }
                    if (a.error() != null) {
                        s.append("! ").append(a.error()).append('\n');
                    }
                }
            }
        }
        Files.writeString(GOLDEN, s.toString());
    }
}
