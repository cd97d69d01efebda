package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PacketPrinter} against ovs-ofctl 3.1: for each frame, {@code ovs-ofctl parse-pcap}'s line (its
 * {@code in_port=ANY,} removed) must be {@link PacketPrinter#flowSummary}, and the packet line {@code ovs-ofctl
 * ofp-parse} prints after an OpenFlow 1.0 PACKET_IN carrying the frame must be {@link PacketPrinter#packetToString}.
 * Frames: hand-made ones (ARP, VLAN, IPv4 first and later fragments, ICMP error, TCP flags, SCTP, GRE, IPv6 ND,
 * IPv6 fragment and hop-by-hop, MPLS, LLDP, 802.3/LLC, a truncated TCP header, a bare Ethernet header; not QinQ:
 * see {@link PacketPrinter}) and every packet of the
 * project's oracle cases. Live where ovs-ofctl is installed; {@code golden/packet-summaries.txt} holds its answers
 * (frame, parse-pcap, packet line; tab-separated) for machines without it. Regenerate with
 * {@code -Dtest=PacketPrinterTest#regenerate -Dofctl.regenerate=true}.
 */
class PacketPrinterTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/packet-summaries.txt");
    private static final Path CASES = Path.of(System.getProperty("ofswitch.repo", "..")).resolve(
            "ct-actions/src/test/resources/oracle");

    static final List<String> CRAFTED = List.of(
            "ffffffffffff505400000001080600010800060400015054000000010a0000010000000000000a000002",
            "505400000001505400000002080600010800060400025054000000020a0000025054000000010a000001",
            "5054000000025054000000018100600a080045b9001d0001000007119f140a0000010a00000200010002000973d678",
            "50540000000250540000000108004500002400012000401146c60a0000010a00000200010002001009e77878787878787878",
            "50540000000250540000000108004500002400010064401166620a0000010a00000278787878787878787878787878787878",
            "50540000000250540000000108004500003800010000400166c20a0000010a0000020301111b000000004500001c00010000401166ce0a0000020a000001000500060008ebd0",
            "50540000000250540000000108004500002800010000400666cd0a0000010a00000204d2005000000000000000005029200076970000",
            "50540000000250540000000108004500002000010000408466570a0000010a0000020009000a00000000a60fcd45",
            "50540000000250540000000108004500001c00010000402f66b00a0000010a0000026772652d6973682e",
            "33330000000150540000000186dd6000000000203afffe800000000000000000000000000001ff0200000000000000000000000000018800094720000000fe8000000000000000000000000000010201505400000001",
            "50540000000250540000000186dd62812345001c2c4020010db800000000000000000000000120010db8000000000000000000000002060000010000000700010002000000000000000050022000346b0000",
            "50540000000250540000000186dd600000000010004020010db800000000000000000000000120010db80000000000000000000000021100010400000000000300040008a462",
            "505400000002505400000001884700064b094500001400010000400066e70a0000010a000002",
            "50540000000250540000000188cc6c6c64702d7061796c6f61642d68657265",
            "0180c200000050540000000100160000007374702d627064752d7061796c6f61642d7878",
            "50540000000250540000000108004500002800010000400666cd0a0000010a000002000100020000",
            "505400000002505400000001");

    @TempDir
    Path tmp;

    /** The hand-made frames, then each distinct frame of the project's oracle cases. */
    static List<String> frames() throws IOException {
        return frames(List.of(CASES));
    }

    /** The hand-made frames, then each distinct frame of the oracle cases under {@code roots}. */
    static List<String> frames(List<Path> roots) throws IOException {
        Set<String> out = new LinkedHashSet<>(CRAFTED);
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path d : dirs.sorted().toList()) {
                    Path p = d.resolve("packets.hex.txt");
                    if (Files.exists(p)) {
                        for (String line : Files.readAllLines(p)) {
                            String[] w = line.trim().split("\\s+");
                            if (w.length >= 2 && w[0].startsWith("in_port=")) {
                                out.add(w[1].toLowerCase());
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** What ovs-ofctl says of each frame: {frame, parse-pcap line, packet line}. */
    static List<String[]> ask(List<String> frames, Path dir) throws IOException {
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        ByteArrayOutputStream of = new ByteArrayOutputStream();
        pcap.write(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b2c3d4).putShort((short) 2)
                .putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1).array());
        for (String h : frames) {
            byte[] f = HexFormat.of().parseHex(h);
            pcap.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).putInt(f.length)
                    .putInt(f.length).array());
            pcap.write(f);
            // OpenFlow 1.0 PACKET_IN: buffer_id, total_len, in_port 1, reason no_match, pad, frame.
            of.write(ByteBuffer.allocate(18).put((byte) 1).put((byte) 10).putShort((short) (18 + f.length)).putInt(0)
                    .putInt(-1).putShort((short) f.length).putShort((short) 1).array());
            of.write(f);
        }
        Path pcapFile = dir.resolve("frames.pcap");
        Path ofFile = dir.resolve("packet-ins.of");
        Files.write(pcapFile, pcap.toByteArray());
        Files.write(ofFile, of.toByteArray());
        Tools.Result p = Tools.run(60, List.of("ovs-ofctl", "parse-pcap", pcapFile.toString()));
        Tools.Result o = Tools.run(60, List.of("ovs-ofctl", "ofp-parse", ofFile.toString()));
        assertEquals(0, p.exitCode(), p.stderr());
        assertEquals(0, o.exitCode(), o.stderr());
        List<String> summaries = new ArrayList<>(List.of(p.stdout().split("\n")));
        List<String> lines = new ArrayList<>();
        for (String l : o.stdout().split("\n")) {
            if (!l.startsWith("OFPT_PACKET_IN")) {
                lines.add(l);
            }
        }
        assertEquals(frames.size(), summaries.size(), "parse-pcap lines");
        assertEquals(frames.size(), lines.size(), "ofp-parse packet lines");
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            out.add(new String[] {frames.get(i), summaries.get(i).replace("in_port=ANY,", "")
                    .replace(",in_port=ANY", "").replace("in_port=ANY", ""), lines.get(i)});
        }
        return out;
    }

    private static List<String> compare(List<String[]> answers) {
        List<String> diffs = new ArrayList<>();
        for (String[] a : answers) {
            byte[] f = HexFormat.of().parseHex(a[0]);
            String summary = PacketPrinter.flowSummary(f, f.length);
            String line = PacketPrinter.packetToString(f, f.length);
            if (!summary.equals(a[1])) {
                diffs.add(a[0] + "\n  parse-pcap: " + a[1] + "\n  ours:       " + summary);
            }
            if (!line.equals(a[2])) {
                diffs.add(a[0] + "\n  ofp-parse: " + a[2] + "\n  ours:      " + line);
            }
        }
        return diffs;
    }

    @Test
    void everyFrame_sameTextAsOvsOfctl_live() throws IOException {
        Tools.require("PacketPrinterTest live comparison", "ovs-ofctl");
        // Live, the shared oracle's cases too, where that folder exists.
        Path shared = Path.of(System.getProperty("ofswitch.repo", "..")).resolve("../shared/oracle").normalize();
        List<String[]> answers = ask(frames(List.of(CASES, shared.resolve("cases"), shared.resolve("examples"))), tmp);
        List<String> diffs = compare(answers);
        System.out.printf("packet printer: %d frames, %d differences from ovs-ofctl 3.1%n", answers.size(),
                diffs.size());
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    @Test
    void recorded_sameTextAsOvsOfctl() throws IOException {
        List<String[]> answers = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/golden/packet-summaries.txt")) {
            if (in == null) {
                throw new IOException("missing test resource golden/packet-summaries.txt");
            }
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isEmpty() && !l.startsWith("#")) {
                    answers.add(l.split("\t", -1));
                }
            }
        }
        assertTrue(answers.size() >= CRAFTED.size(), "frames in the golden file: " + answers.size());
        List<String> diffs = compare(answers);
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    @Test
    @EnabledIfSystemProperty(named = "ofctl.regenerate", matches = "true")
    void regenerate() throws IOException {
        Tools.require("PacketPrinterTest.regenerate", "ovs-ofctl");
        StringBuilder s = new StringBuilder("# frame, ovs-ofctl parse-pcap (in_port=ANY removed), ofp-parse packet "
                + "line (ovs-ofctl 3.1); see PacketPrinterTest\n");
        for (String[] a : ask(frames(), tmp)) {
            s.append(String.join("\t", a)).append('\n');
        }
        Files.writeString(GOLDEN, s.toString());
    }
}
