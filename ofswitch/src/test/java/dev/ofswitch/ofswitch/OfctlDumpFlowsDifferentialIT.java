package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.ofctl.FlowPrinter;
import dev.ofswitch.ofswitch.ofctl.RandomFlows;
import dev.ofswitch.ofswitch.port.Port;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FlowPrinter} against the real {@code ovs-ofctl dump-flows} (3.1): every flow file of the shared oracle
 * ({@code examples/}, {@code cases/}), the project's ct-actions oracle cases, the flows of the shared ovs-ofctl vectors
 * and {@value #RANDOM} random flows ({@link RandomFlows}) go into our switch with {@code ovs-ofctl add-flows} (for
 * OpenFlow 1.4 and 1.5 only the vectors and the random flows, to keep the test short); then
 * {@code ovs-ofctl dump-flows} runs through a {@link ReplyCapture} relay, and the printer, given the very reply
 * messages ovs-ofctl decoded, must print exactly what ovs-ofctl printed: with statistics (headers included),
 * {@code --no-stats}, {@code --sort}, {@code --rsort=FIELD} and {@code --names}, for OpenFlow 1.0 (NXST_FLOW), 1.3,
 * 1.4 and 1.5.
 *
 * <p>The switch runs on a frozen clock, moved between the adds, two UDP frames (so that some counters and idle ages
 * are not zero) and the dumps, so durations, counters and ages are deterministic. Files that OpenFlow 1.0 cannot express (goto_table, write_actions, OXM-only fields) are added with
 * OpenFlow 1.3 and dumped with 1.0, which also exercises the switch's re-encoding of flows for another version.
 *
 * <p>With {@code -Dofctl.golden.write=PATH} the test also writes what it saw (reply hex and ovs-ofctl's text) as the
 * golden file that {@code dev.ofswitch.ofswitch.ofctl.FlowPrinterGoldenTest} replays without OVS installed (each
 * version appends: delete the file first):
 * <pre>
 * mvn -o -B -pl ofswitch verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=OfctlDumpFlowsDifferentialIT \
 *     -Dofctl.golden.write=$PWD/ofswitch/src/test/resources/golden/ofctl-dump-flows.txt
 * </pre>
 * Skipped, loudly, without ovs-ofctl; sources under /work/shared are skipped (with a notice) when missing. With
 * {@code -Dofswitch.against=ovs} ({@link LiveSwitch}) the flows go into a real ovs-vswitchd 3.1 instead, and the
 * printer must print its replies as ovs-ofctl does too (its clock is not frozen: durations are whatever they are,
 * and the same bytes give the same text).
 */
class OfctlDumpFlowsDifferentialIT {
    /**
     * Random flow lines: a few repeat an earlier match and priority (and replace it), and OpenFlow 1.0 leaves a few
     * out, so that the table holds 2000+ in every version.
     */
    static final int RANDOM = 2040;
    /** How many random flows the golden file keeps per version (the live run checks all of them). */
    static final int GOLDEN_RANDOM = 120;
    static final Path SHARED = Path.of("/work/shared");
    /** Sort criteria tried in turn, one per source, with {@code --rsort=}. */
    static final String[] SORT_FIELDS = {"priority", "ip_src", "tcp_dst", "reg0", "in_port", "ct_mark", "dl_vlan",
        "metadata", "ipv6_src", "eth_dst", "nw_proto", "ct_state"};

    @TempDir
    Path dir;
    LiveSwitch s;
    ControllableClock clock;
    ReplyCapture relay;

    @BeforeEach
    void start() throws IOException {
        Tools.require("ovs-ofctl dump-flows differential", "ovs-ofctl");
        clock = ControllableClock.manual(5_000_000_000_000L);
        s = LiveSwitch.start(dir, 4, clock);
        relay = new ReplyCapture(s.port);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (s != null) {
            s.close();
        }
    }

    /** A named list of flow lines (add-flows syntax). */
    record Source(String name, List<String> lines) {
    }

    static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        for (String sub : List.of("oracle/examples", "oracle/cases")) {
            Path d = SHARED.resolve(sub);
            if (!Files.isDirectory(d)) {
                System.err.println("NOTICE: " + d + " not found: its flow files are not checked");
                continue;
            }
            out.addAll(flowFiles(d, "shared/" + sub + "/"));
        }
        Path own = Path.of("../ct-actions/src/test/resources/oracle");
        out.addAll(flowFiles(own, "ct-actions/oracle/"));
        Path index = SHARED.resolve("vectors/ovs-ofctl/index.tsv");
        if (Files.exists(index)) {
            Set<String> flows = new LinkedHashSet<>();
            for (String l : Files.readAllLines(index)) {
                String[] f = l.split("\t");
                if (f.length > 5 && f[3].endsWith("FLOW_MOD") && !f[1].startsWith("c19_")) {
                    flows.add(f[5]);
                }
            }
            out.add(new Source("shared/vectors/ovs-ofctl", new ArrayList<>(flows)));
        } else {
            System.err.println("NOTICE: " + index + " not found: the vectors' flows are not checked");
        }
        out.add(new Source("random", randomFlows(RANDOM)));
        return out;
    }

    /**
     * {@code n} random flows this switch accepts: ovs-ofctl add-flows stops at the first refused flow, and
     * the generator also writes {@code dec_ttl(ids)} (NXAST_DEC_TTL_CNT_IDS), which this switch does not implement.
     */
    static List<String> randomFlows(int n) {
        List<String> out = new ArrayList<>();
        RandomFlows g = new RandomFlows(20261126L);
        while (out.size() < n) {
            String l = g.next();
            if (!l.contains("dec_ttl(")) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<Source> flowFiles(Path d, String prefix) throws IOException {
        List<Source> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> cases = Files.list(d)) {
            for (Path c : cases.sorted().toList()) {
                Path f = c.resolve("flows.txt");
                if (Files.exists(f)) {
                    out.add(new Source(prefix + c.getFileName(), Files.readAllLines(f)));
                }
            }
        }
        return out;
    }

    /**
     * Adds {@code lines} with {@code ovs-ofctl -O version add-flows}. ovs-ofctl stops at the first flow the switch
     * refuses (as OVS would refuse it), so a refused file is halved until the refused flows are found and left out
     * (recorded in {@code refused}); flows already added are added again, which changes nothing. Returns false if
     * ovs-ofctl cannot express the flows in {@code version} at all.
     */
    private boolean addAll(List<String> lines, String version, String name, List<String> refused) throws IOException {
        Path file = dir.resolve("flows.txt");
        Files.write(file, lines);
        Tools.Result add = s.ofctl(120, "-O", version, "add-flows", "TARGET", file.toString());
        if (add.exitCode() == 0) {
            return true;
        }
        if (add.stderr().contains("none of the usable flow formats")) {
            return false;
        }
        if (lines.size() == 1) {
            refused.add(name + " with " + version + ": " + add.stdout().lines().findFirst().orElse("")
                    + add.stderr().lines().findFirst().orElse("") + "\n      " + lines.get(0));
            return true;
        }
        int half = lines.size() / 2;
        return addAll(lines.subList(0, half), version, name, refused)
                && addAll(lines.subList(half, lines.size()), version, name, refused);
    }

    static List<String> withoutMetadataAndGoto(List<String> lines) {
        List<String> fit = new ArrayList<>();
        for (String l : lines) {
            if (!(l.contains("write_metadata") && l.contains("goto_table"))) {
                fit.add(l);
            }
        }
        return fit;
    }

    /** One dump: what ovs-ofctl printed and the reply messages it printed it from. */
    record Dump(String source, int version, String options, List<byte[]> replies, String text) {
    }

    @Test
    void of10() throws Exception {
        run(OfVersion.OF10);
    }

    @Test
    void of13() throws Exception {
        run(OfVersion.OF13);
    }

    @Test
    void of14() throws Exception {
        run(OfVersion.OF14);
    }

    @Test
    void of15() throws Exception {
        run(OfVersion.OF15);
    }

    private static String ofName(int version) {
        return "OpenFlow1" + (version - 1);
    }

    private void run(int version) throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> identical = new LinkedHashMap<>();
        List<Dump> golden = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        int n = 0;
        long tAdd = 0;
        long tDump = 0;
        long tPrint = 0;
        for (Source src : sources()) {
            if (version >= OfVersion.OF14 && !src.name().equals("random") && !src.name().startsWith("shared/vectors")) {
                continue;   // 1.4 and 1.5 differ from 1.3 in few places, all of which the random flows reach
            }
            long t0 = System.nanoTime();
            s.ofctl(120, "-O", "OpenFlow13", "del-flows", "TARGET").ok();
            String addedWith = ofName(version);
            if (!addAll(src.lines(), addedWith, src.name(), refused)) {
                // Not all of it fits OpenFlow 1.0: add it with 1.3 and let the switch re-encode it for the 1.0
                // dump, as OVS does, leaving out what OVS's own 1.0 reply cannot carry: write_metadata followed by
                // goto_table become NXAST_WRITE_METADATA and a resubmit, which ovs-ofctl refuses ("apply_actions
                // must appear before write_metadata").
                addedWith = "OpenFlow13";
                assertTrue(addAll(withoutMetadataAndGoto(src.lines()), addedWith, src.name(), refused), src.name());
            }
            long t1 = System.nanoTime();
            tAdd += t1 - t0;
            // Some traffic, so that counters and idle ages are not all zero, and time between the steps (under a
            // second in all: a flow's idle_timeout of 1 s must not expire it).
            clock.warp(200 + (n++ * 37) % 400);
            s.receive(1, OvsOfctlOf13Test.UDP);
            s.receive(2, OvsOfctlOf13Test.UDP);
            clock.warp(150 + (n * 53) % 200);
            String sortField = SORT_FIELDS[n % SORT_FIELDS.length];
            // Every source with and without statistics; the sort orders on the big sources and every third other.
            List<String> variants = src.lines().size() > 30 || n % 3 == 0
                    ? List.of("", "--no-stats", "--sort", "--rsort=" + sortField, "--names")
                    : List.of("", "--no-stats");
            if (LiveSwitch.AGAINST_OVS) {
                variants = variants.subList(0, variants.size() - 1);   // OVS's port names are its own
            }
            for (String opts : variants) {
                Dump d = dump(src.name(), version, opts);
                int lines = (int) d.text().lines().filter(l -> l.startsWith(" ")).count();
                String ours;
                long tp = System.nanoTime();
                try {
                    ours = print(d);
                    tPrint += System.nanoTime() - tp;
                } catch (Exception e) {
                    failures.add(src.name() + " " + opts + ": printer failed: " + e);
                    continue;
                }
                if (ours.equals(d.text())) {
                    identical.merge(src.name() + " (added with " + addedWith + ")", opts.isEmpty() ? lines : 0,
                            Integer::sum);
                } else {
                    failures.add(src.name() + " " + opts + ":\n" + firstDifference(d.text(), ours));
                }
                golden.add(d);
            }
            tDump += System.nanoTime() - t1;
        }
        System.out.println("ovs-ofctl -O " + ofName(version) + " dump-flows: flow lines printed identically (with "
                + "statistics; --no-stats, --sort, --rsort=FIELD and --names checked too)");
        int total = 0;
        for (Map.Entry<String, Integer> e : identical.entrySet()) {
            System.out.println("  " + e.getValue() + "\t" + e.getKey());
            total += e.getValue();
        }
        System.out.println("  " + total + "\ttotal (add " + tAdd / 1_000_000 + " ms, dump+print " + tDump / 1_000_000
                + " ms, of which print " + tPrint / 1_000_000 + " ms)");
        for (String r : refused) {
            System.out.println("  add-flows refused in part: " + r);
        }
        writeGolden(version, golden);
        assertTrue(failures.isEmpty(), failures.size() + " dumps differ:\n" + String.join("\n", failures));
    }

    private Dump dump(String source, int version, String opts) {
        relay.take();
        List<String> args = new ArrayList<>(List.of("-O", ofName(version)));
        if (!opts.isEmpty()) {
            args.add(opts);
        }
        args.add("dump-flows");
        args.add(relay.target());
        String text = s.ofctl(120, args.toArray(new String[0])).ok().stdout();
        List<byte[]> replies = new ArrayList<>();
        for (byte[] m : relay.take()) {
            if (FlowStats.isFlowReply(Unpooled.wrappedBuffer(m))) {
                replies.add(m);
            }
        }
        return new Dump(source, version, opts, replies, text);
    }

    /**
     * The printer's text for a dump, with the options ovs-ofctl was given; for {@code --names}, the names ovs-ofctl
     * read from the switch: its ports' and its tables' ({@code tableN} in its OpenFlow 1.1+ table features; its
     * OpenFlow 1.0 table stats name no table, as OVS's).
     */
    String print(Dump d) throws Exception {
        List<ByteBuf> bufs = new ArrayList<>();
        for (byte[] r : d.replies()) {
            bufs.add(Unpooled.wrappedBuffer(r));
        }
        if (d.options().equals("--names")) {
            Map<Integer, String> ports = new LinkedHashMap<>();
            for (Port p : s.sw.ports()) {
                ports.put(p.number() == Port.LOCAL ? Action.OFPP_LOCAL : p.number(), p.name());
            }
            Map<Integer, String> tables = new LinkedHashMap<>();
            for (int t = 0; t < 254 && d.version() != OfVersion.OF10; t++) {
                tables.put(t, "table" + t);
            }
            return FlowPrinter.dumpFlows(bufs, new FlowPrinter.Options(true, ports, tables, List.of()));
        }
        return FlowPrinter.dumpFlows(bufs, d.options().isEmpty() ? FlowPrinter.Options.DEFAULT
                : FlowPrinter.Options.fromArgs(d.options()));
    }

    /** The first line where ovs-ofctl's text and the printer's differ, both shown. */
    static String firstDifference(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        int i = 0;
        while (i < e.size() && i < a.size() && e.get(i).equals(a.get(i))) {
            i++;
        }
        return "  line " + (i + 1) + "\n  ovs-ofctl: " + (i < e.size() ? e.get(i) : "<end>") + "\n  printer:   "
                + (i < a.size() ? a.get(i) : "<end>");
    }

    /**
     * Appends this version's part of the golden file: the shared vectors' flows in every version, the other flow
     * files in OpenFlow 1.3, and {@value #GOLDEN_RANDOM} random flows in every version (with --no-stats, --sort and
     * --rsort in 1.3), each as the replies once, then ovs-ofctl's text per option set.
     */
    private void writeGolden(int version, List<Dump> dumps) throws Exception {
        String path = System.getProperty("ofctl.golden.write");
        if (path == null) {
            return;
        }
        Path out = Path.of(path);
        StringBuilder sb = new StringBuilder();
        if (!Files.exists(out)) {
            sb.append("# ovs-ofctl 3.1 dump-flows output and the flow stats replies it printed, recorded from this\n")
                    .append("# switch by OfctlDumpFlowsDifferentialIT (-Dofctl.golden.write=PATH; each version's\n")
                    .append("# test appends). '@dump SOURCE VERSION', then 'reply HEX' per message, then per option\n")
                    .append("# set '@text [OPTIONS]' and 'text LINE' per line ovs-ofctl printed.\n");
        }
        for (Dump d : dumps) {
            if (d.options().isEmpty() && !d.source().equals("random")
                    && (version == OfVersion.OF13 || d.source().startsWith("shared/vectors"))) {
                golden(sb, List.of(d));
            }
        }
        s.ofctl(120, "-O", "OpenFlow13", "del-flows", "TARGET").ok();
        List<String> lines = randomFlows(GOLDEN_RANDOM);
        if (!addAll(lines, ofName(version), "random", new ArrayList<>())) {
            assertTrue(addAll(withoutMetadataAndGoto(lines), "OpenFlow13", "random", new ArrayList<>()));
        }
        clock.warp(600);
        s.receive(1, OvsOfctlOf13Test.UDP);
        s.receive(2, OvsOfctlOf13Test.UDP);
        clock.warp(300);
        List<Dump> random = new ArrayList<>();
        for (String opts : version == OfVersion.OF13 ? List.of("", "--no-stats", "--sort", "--rsort=tcp_src")
                : List.of("")) {
            Dump d = dump("random-" + GOLDEN_RANDOM, version, opts);
            assertEquals(d.text(), print(d), "golden subset of the random flows " + opts);
            random.add(d);
        }
        golden(sb, random);
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Dumps of one table: the replies of the first (their xid shows only in the first's text), every text. */
    private static void golden(StringBuilder sb, List<Dump> group) {
        Dump first = group.get(0);
        sb.append("@dump ").append(first.source()).append(' ').append(ofName(first.version())).append('\n');
        for (byte[] r : first.replies()) {
            sb.append("reply ").append(Hex.encode(r)).append('\n');
        }
        for (Dump d : group) {
            sb.append("@text").append(d.options().isEmpty() ? "" : " " + d.options()).append('\n');
            for (String l : d.text().split("\n", -1)) {
                if (!l.isEmpty()) {
                    sb.append("text ").append(l).append('\n');
                }
            }
        }
    }
}
