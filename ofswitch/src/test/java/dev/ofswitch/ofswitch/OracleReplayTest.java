package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.MatchCodec;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.ofctl.FlowPrinter;
import dev.ofswitch.ofswitch.ofctl.PacketPrinter;
import dev.ofswitch.ofswitch.unixctl.UnixctlServer;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle cases replayed against this switch WITHOUT Open vSwitch: {@code ovs-oracle}'s run (shared/oracle/README.md,
 * "What the tool does") done in-process, and its report compared with the {@code expected.txt} real OVS 3.1 produced.
 * {@link dev.ofswitch.ofswitch.it.OracleConformanceIT} runs the same cases through the real oracle when OVS is
 * installed; this test runs everywhere.
 *
 * <p>How each oracle step maps here: the flows are loaded with our parser ({@link FlowLoader}, as
 * {@code ovs-ofctl -O OpenFlow13 add-flows}); unixctl requests ({@code time/stop}, {@code netdev-dummy/receive},
 * {@code time/warp}, {@code dpctl/dump-conntrack -m -s}, {@code dpctl/flush-conntrack}) go through the switch's own
 * unixctl server in-process ({@link UnixctlServer#call}); {@code ovs-ofctl dump-flows} is the switch's flow stats
 * reply printed by {@link FlowPrinter} and normalized as the oracle's {@code parse_dump_flows()}; emitted frames are
 * read from the switch's {@code pN-tx.pcap}; packet-ins and other asynchronous messages arrive on an OpenFlow 1.3
 * connection (miss_send_len 65534, a barrier after each packet, as the oracle's monitor).
 *
 * <h2>What is compared</h2>
 * Every line of the report, byte for byte (header, echo, packet, hit, out, drop, sleep/warp, dump, flush, conntrack
 * and flows sections), including what ovs-ofctl's packet printer writes, made here by {@link PacketPrinter}: the
 * packet-in metadata match of {@code controller} lines and the packet summary after them, and the flow summary of
 * {@code out P modified SUMMARY} (cases without {@code --hex}). {@link #comparable} removes only the arguments of
 * {@code async NAME ...} lines (compared by message name).
 * Cases: the project's own ({@code ct-actions/src/test/resources/oracle}, always in the repository) and the shared
 * ones ({@code ../shared/oracle/examples}, {@code cases}) when that folder exists.
 */
class OracleReplayTest {
    private static final Path REPO = Path.of(System.getProperty("ofswitch.repo", "..")).toAbsolutePath().normalize();
    private static final Path SHARED = REPO.resolve("../shared/oracle").normalize();
    private static final Pattern PACKET = Pattern.compile("^in_port=(\\d+)\\s+(.*?)(?:\\s+--len\\s+(\\d+))?$");
    private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]+$");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyCase_reportMatchesRealOvs_withoutOvs() throws IOException {
        List<Path> cases = new ArrayList<>(caseDirs(REPO.resolve("ct-actions/src/test/resources/oracle")));
        assertFalse(cases.isEmpty(), "no oracle cases under " + REPO + "/ct-actions/src/test/resources/oracle");
        if (Files.isDirectory(SHARED)) {
            cases.addAll(caseDirs(SHARED.resolve("examples")));
            cases.addAll(caseDirs(SHARED.resolve("cases")));
        } else {
            System.err.println("*** OracleReplayTest: " + SHARED + " is absent: only the project's own cases run");
        }
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getParent().getFileName() + "/"
                + dir.getFileName(), () -> {
                    String expected = Files.readString(dir.resolve("expected.txt"));
                    String actual = replay(dir, Files.createTempDirectory(tmp, "case"));
                    assertEquals(comparable(expected), comparable(actual), () -> "report differs for " + dir
                            + "\n--- full report of this switch:\n" + actual);
                }));
    }

    /** The comparison removes only what the class comment lists; everything else stays byte for byte. */
    @org.junit.jupiter.api.Test
    void comparable_elidesOnlyAsyncArguments() {
        String report = "packet 1 in_port=1\n"
                + "  out 2 modified tcp,vlan_tci=0x0000,nw_src=10.0.0.1\n"
                + "  controller table_id=1 cookie=0x5 total_len=60 ct_state=new|trk,ip,in_port=1 (via action) "
                + "data_len=60 (unbuffered)\n"
                + "    tcp,vlan_tci=0x0000 tcp_csum:1234\n"
                + "  async OFPT_PORT_STATUS (OF1.3): ADD: 1(p1)\n";
        assertEquals(report.replace("async OFPT_PORT_STATUS (OF1.3): ADD: 1(p1)", "async OFPT_PORT_STATUS") + "\n",
                comparable(report));
    }

    private static List<Path> caseDirs(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.filter(d -> Files.exists(d.resolve("flows.txt")) && Files.exists(d.resolve("expected.txt"))
                    && Files.exists(d.resolve("packets.hex.txt"))).sorted().forEach(out::add);
        }
        return out;
    }

    /** The report with the async messages' arguments removed (see the class comment). */
    static String comparable(String report) {
        StringBuilder sb = new StringBuilder();
        for (String line : report.split("\n", -1)) {
            if (line.startsWith("  async ") || line.startsWith("async ")) {
                String[] w = line.trim().split(" ");
                line = line.substring(0, line.indexOf("async")) + "async " + w[1];
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------ the replay

    private record Step(String kind, int port, String hex, String arg) {
    }

    private static List<Step> parseScript(Path script) throws IOException {
        List<Step> steps = new ArrayList<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(script)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = PACKET.matcher(line);
            if (m.matches()) {
                String hex = m.group(2).replace(" ", "");
                if (!HEX.matcher(hex).matches() || m.group(3) != null) {
                    throw new AssertionError(script + ":" + lineNo + ": only hex packets can be replayed");
                }
                steps.add(new Step("packet", Integer.parseInt(m.group(1)), hex.toLowerCase(), null));
                continue;
            }
            String[] w = line.split("\\s+");
            switch (w[0]) {
                case "sleep", "warp" -> steps.add(new Step(w[0], 0, null, w[1]));
                case "dump" -> steps.add(new Step("dump", 0, null, w.length == 2 ? w[1] : "conntrack"));
                case "flush" -> steps.add(new Step("flush", 0, null, line.substring(5).strip()));
                case "echo" -> steps.add(new Step("echo", 0, null, line.substring(4).strip()));
                default -> throw new AssertionError(script + ":" + lineNo + ": cannot parse " + line);
            }
        }
        return steps;
    }

    /** Runs one case as ovs-oracle's {@code Runner.run()} and returns the report. */
    static String replay(Path dir, Path work) throws Exception {
        List<Step> steps = parseScript(dir.resolve("packets.hex.txt"));
        boolean hex = Files.exists(dir.resolve("options"))
                && List.of(Files.readString(dir.resolve("options")).trim().split("\\s+")).contains("--hex");
        int nports = 4;
        for (Step s : steps) {
            nports = Math.max(nports, s.port());
        }
        SwitchConfig cfg = SwitchConfig.defaults().ports(nports).listen("ptcp:0:127.0.0.1")
                .unixctl(work.resolve("ovs-vswitchd.ctl")).pcapDir(work, false).passiveProbeIntervalMillis(0)
                .descProfile("ovs").clock(ControllableClock.running());
        try (OfSwitch sw = new OfSwitch(cfg)) {
            sw.start();
            UnixctlServer ctl = sw.unixctl();
            try (OfClient monitor = OfClient.connect(sw.boundOpenFlowPort(), OfClient.OF13)) {
                monitor.send(OfClient.setConfig(OfClient.OF13, monitor.xid(), 0, 65534));
                monitor.barrier();
                ctl.call("time/stop");
                FlowLoader.addFlows(sw, dir.resolve("flows.txt"));
                monitor.barrier();
                Replay r = new Replay(sw, ctl, monitor, work, nports, hex);
                return r.run(steps);
            }
        }
    }

    /** One run's state: what the oracle's Runner keeps (pcap positions, the last flow dump). */
    private static final class Replay {
        final OfSwitch sw;
        final UnixctlServer ctl;
        final OfClient monitor;
        final Path work;
        final int nports;
        final boolean hex;
        final Map<String, Integer> seen = new HashMap<>();
        final StringBuilder out = new StringBuilder();
        List<String[]> flows;
        int npkt;

        Replay(OfSwitch sw, UnixctlServer ctl, OfClient monitor, Path work, int nports, boolean hex) {
            this.sw = sw;
            this.ctl = ctl;
            this.monitor = monitor;
            this.work = work;
            this.nports = nports;
            this.hex = hex;
        }

        void p(String s) {
            out.append(s).append('\n');
        }

        String run(List<Step> steps) throws Exception {
            flows = dumpFlows();
            p("# ovs-oracle 1 ports=" + nports + " clock=frozen of=OpenFlow13");
            for (Step s : steps) {
                switch (s.kind()) {
                    case "packet" -> packet(s);
                    case "sleep", "warp" -> {
                        p(s.kind() + " " + Integer.parseInt(s.arg()));
                        if (Integer.parseInt(s.arg()) > 0) {
                            ctl.call("time/warp", s.arg());
                        }
                        printAsync(monitor.barrier(), "  ");
                    }
                    case "dump" -> {
                        p("dump " + s.arg());
                        if (s.arg().equals("conntrack") || s.arg().equals("all")) {
                            printConntrack("  ");
                        }
                        if (s.arg().equals("flows") || s.arg().equals("all")) {
                            printFlows("  ");
                        }
                    }
                    case "flush" -> {
                        p(("flush " + s.arg()).strip());
                        ctl.call("dpctl/flush-conntrack", s.arg().isEmpty() ? new String[0] : s.arg().split("\\s+"));
                    }
                    case "echo" -> p("echo " + s.arg());
                    default -> throw new AssertionError(s.kind());
                }
            }
            printAsync(monitor.barrier(), "");
            printConntrack("");
            printFlows("");
            return out.toString();
        }

        void packet(Step s) throws Exception {
            npkt++;
            Map<String, Long> before = new HashMap<>();
            for (String[] f : flows) {
                before.put(f[0], Long.parseLong(f[1]));
            }
            ctl.call("netdev-dummy/receive", "p" + s.port(), s.hex());
            List<OfClient.Msg> msgs = monitor.barrier();
            List<String> outs = new ArrayList<>();
            for (int i = 1; i <= nports + 1; i++) {
                String name = i <= nports ? "p" + i : "LOCAL";
                int old = seen.getOrDefault(name, 0);
                List<String> frames = Pcap.frames(work.resolve(name + "-tx.pcap"));
                seen.put(name, frames.size());
                for (String f : frames.subList(old, frames.size())) {
                    outs.add((i <= nports ? String.valueOf(i) : "LOCAL") + " " + f);
                }
            }
            p("packet " + npkt + " in_port=" + s.port());
            flows = dumpFlows();
            for (String[] f : flows) {
                long d = Long.parseLong(f[1]) - before.getOrDefault(f[0], 0L);
                if (d > 0) {
                    p("  hit " + f[0] + (d == 1 ? "" : "  (x" + d + ")"));
                }
            }
            for (String o : outs) {
                String port = o.substring(0, o.indexOf(' '));
                String frame = o.substring(o.indexOf(' ') + 1);
                StringBuilder line = new StringBuilder("  out ").append(port);
                if (!frame.equals(s.hex())) {
                    line.append(" modified");
                    if (!hex) {
                        // The oracle's summary: ovs-ofctl parse-pcap of the frame, "in_port=ANY," removed.
                        byte[] b = java.util.HexFormat.of().parseHex(frame);
                        String summary = PacketPrinter.flowSummary(b, b.length);
                        line.append(' ').append(summary.isEmpty() ? "(unparsable)" : summary);
                    }
                }
                if (hex) {
                    line.append(' ').append(frame);
                }
                p(line.toString());
            }
            boolean packetIn = printAsync(msgs, "  ");
            if (outs.isEmpty() && !packetIn) {
                p("  drop");
            }
        }

        /** Prints packet-ins and other asynchronous messages; returns whether there was a packet-in. */
        boolean printAsync(List<OfClient.Msg> msgs, String indent) {
            boolean packetIn = false;
            for (OfClient.Msg m : msgs) {
                if (m.type() == OfClient.PACKET_IN) {
                    // OpenFlow 1.3 ofp_packet_in read by hand: Loxi cannot parse the Nicira ct_* OXMs in the match.
                    packetIn = true;
                    int reason = m.u8(14);
                    int table = m.u8(15);
                    int matchLen = m.u16(26);
                    int dataOff = 24 + (matchLen + 7) / 8 * 8 + 2;
                    String why = switch (reason) {
                        case 0 -> "no_match";
                        case 1 -> "action";
                        case 2 -> "invalid_ttl";
                        default -> "reason" + reason;
                    };
                    String metadata;
                    try {
                        metadata = PacketPrinter.metadata(MatchCodec.decodeOxm(
                                io.netty.buffer.Unpooled.wrappedBuffer(m.bytes(), 24, m.length() - 24)));
                    } catch (OpenFlowException e) {
                        throw new AssertionError("packet-in match: " + e.getMessage() + " in " + m, e);
                    }
                    byte[] data = m.from(dataOff);
                    p(indent + "controller " + (table == 0 ? "" : "table_id=" + table + " ") + "cookie=0x"
                            + Long.toHexString(m.u64(16)) + " total_len=" + m.u16(12)
                            + (metadata.isEmpty() ? "" : " " + metadata) + " (via " + why + ") data_len="
                            + data.length + " (unbuffered)");
                    p(indent + "  " + PacketPrinter.packetToString(data, data.length));
                } else if (m.type() != OfClient.ECHO_REQUEST && m.type() != OfClient.ECHO_REPLY) {
                    p(indent + "async type " + m.type() + " (not printed)");
                }
            }
            return packetIn;
        }

        void printConntrack(String indent) throws Exception {
            List<String> lines = new ArrayList<>();
            for (String l : ctl.call("dpctl/dump-conntrack", "-m", "-s").split("\n")) {
                l = l.strip();
                if (!l.isEmpty()) {
                    lines.add(l.replaceAll("\\),id=[0-9]+,", "),"));
                }
            }
            lines.sort(null);
            p(indent + "conntrack (" + lines.size() + ")");
            for (String l : lines) {
                p(indent + "  " + l);
            }
        }

        void printFlows(String indent) throws Exception {
            flows = dumpFlows();
            p(indent + "flows (" + flows.size() + ")");
            for (String[] f : flows) {
                Matcher m = Pattern.compile("((?:cookie=[^,]*, )?table=[0-9]+, )(.*)$").matcher(f[0]);
                p(indent + "  " + (m.matches() ? m.group(1) + "n_packets=" + f[1] + ", n_bytes=" + f[2] + ", "
                        + m.group(2) : "n_packets=" + f[1] + ", n_bytes=" + f[2] + ", " + f[0]));
            }
        }

        /** ovs-oracle's {@code parse_dump_flows()} on FlowPrinter's dump-flows text: {key, n_packets, n_bytes}. */
        List<String[]> dumpFlows() throws Exception {
            List<ByteBuf> replies = sw.flowStats(FlowStats.Request.all(OfVersion.OF13, 2));
            String text;
            try {
                text = FlowPrinter.dumpFlows(replies, FlowPrinter.Options.DEFAULT);
            } finally {
                replies.forEach(ByteBuf::release);
            }
            return parseDumpFlows(text);
        }
    }

    private static final Pattern NPKT = Pattern.compile("\\bn_packets=([0-9]+), ");
    private static final Pattern NBYTE = Pattern.compile("\\bn_bytes=([0-9]+), ");
    private static final Pattern TABLE = Pattern.compile("\\btable=([0-9]+)");
    private static final Pattern PRIO = Pattern.compile("\\bpriority=([0-9]+)");

    /** A port of ovs-oracle's {@code parse_dump_flows()}, sorted as it sorts: table, -priority, text. */
    static List<String[]> parseDumpFlows(String text) {
        record F(int table, int prio, String key, String npk, String nby) {
        }
        List<F> fl = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("OFPST_") || line.startsWith("NXST_") || line.startsWith("OFPT_")) {
                continue;
            }
            Matcher np = NPKT.matcher(line);
            Matcher nb = NBYTE.matcher(line);
            String npk = np.find() ? np.group(1) : "0";
            String nby = nb.find() ? nb.group(1) : "0";
            String key = line.replaceAll("\\bduration=[0-9.]+s, ", "").replaceAll("\\b(idle_age|hard_age)=[0-9]+, ", "")
                    .replaceAll(NPKT.pattern(), "").replaceAll(NBYTE.pattern(), "");
            if (key.startsWith("cookie=0x0, ")) {
                key = key.substring("cookie=0x0, ".length());
            }
            String match = key.split(" actions=")[0];
            Matcher t = TABLE.matcher(match);
            boolean hasTable = t.find();
            int table = hasTable ? Integer.parseInt(t.group(1)) : 0;
            if (!key.startsWith("table=") && !hasTable) {
                key = "table=0, " + key;
            }
            Matcher pr = PRIO.matcher(key.split(" actions=")[0]);
            int prio = pr.find() ? Integer.parseInt(pr.group(1)) : 32768;
            fl.add(new F(table, prio, key, npk, nby));
        }
        fl.sort((a, b) -> a.table() != b.table() ? Integer.compare(a.table(), b.table())
                : a.prio() != b.prio() ? Integer.compare(b.prio(), a.prio()) : a.key().compareTo(b.key()));
        List<String[]> out = new ArrayList<>();
        for (F f : fl) {
            out.add(new String[] {f.key(), f.npk(), f.nby()});
        }
        return out;
    }
}
