package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.OfVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ovs-ofctl makes of a list of add-flow lines for one OpenFlow version, and the comparison of our parser with
 * it. A verdict is a list of {@link Batch}es (flows that one {@code add-flows} run accepted together, with the
 * protocol preamble and FLOW_MOD bytes ovs-ofctl sent) and {@link Refusal}s (a flow ovs-ofctl refused on its own,
 * with its message). Verdicts come from a live ovs-ofctl ({@link #ask}) or from a golden file
 * ({@link #read}/{@link #write}), in this layout:
 *
 * <pre>
 * # comment
 * &#64;batch                  a new batch of flows sent together (one add-flows run)
 * &#64;pre HEX                a preamble message (NXT_SET_FLOW_FORMAT, NXT_FLOW_MOD_TABLE_ID), xid 0
 * &gt; FLOW                   a flow ...
 * &lt; HEX                    ... and the FLOW_MOD ovs-ofctl sent for it, xid 0
 * ! MESSAGE                ... or what ovs-ofctl printed after "ovs-ofctl: " when refusing it alone (as a one-line
 *                            add-flows file, the "FILE:LINE: " prefix removed)
 * </pre>
 * Flows are add-flows lines: they may start with {@code modify}, {@code delete}, ... to use another command.
 */
final class OfctlVerdicts {
    private OfctlVerdicts() {
    }

    /** Flows accepted together, with ovs-ofctl's preamble and one FLOW_MOD per flow (all with xid 0). */
    record Batch(List<byte[]> preamble, List<String> flows, List<byte[]> flowMods) {
    }

    /** A flow ovs-ofctl refused, with its message. */
    record Refusal(String flow, String message) {
    }

    /** A verdict on a corpus; {@code skipped} flows were predicted refused but not asked (see {@link #ask}). */
    record Verdict(List<Batch> batches, List<Refusal> refusals, int skipped) {
        int flowCount() {
            return batches.stream().mapToInt(b -> b.flows().size()).sum() + refusals.size() + skipped;
        }
    }

    /**
     * Asks ovs-ofctl (through {@code cap}) about {@code flows}: for OpenFlow 1.3+ one add-flows run, dropping and
     * re-asking singly the lines it refuses; for OpenFlow 1.0, whose protocol choice spans a whole file, one run per
     * protocol our parser predicts for the flows (a wrong prediction shows as different bytes), and a single run for
     * each flow our parser predicts unusable, at most {@code maxSingles} of them (-1: all; a run takes ~0.1 s).
     */
    static Verdict ask(OfctlCapture cap, Path dir, int version, List<String> flows, int maxSingles)
            throws IOException {
        List<Batch> batches = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        int skipped = 0;
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String f : flows) {
            String group = "all";
            if (version == OfVersion.OF10) {
                try {
                    group = ours(f, version).protocol();
                } catch (OfctlParseException e) {
                    group = null;
                }
            }
            if (group == null) {
                if (maxSingles >= 0 && refusals.size() >= maxSingles) {
                    skipped++;
                    continue;
                }
                refusals.add(refusal(cap, dir, version, f));
            } else {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(f);
            }
        }
        for (List<String> group : groups.values()) {
            List<String> left = new ArrayList<>(group);
            while (!left.isEmpty()) {
                OfctlCapture.Run r = cap.addFlows(version, OfctlCapture.flowFile(dir, "flows.txt", left));
                if (r.exitCode() == 0) {
                    batches.add(new Batch(zeroXids(r.preamble()), List.copyOf(left), zeroXids(r.flowMods())));
                    break;
                }
                int line = errorLine(r.error());
                if (line < 1) {
                    // A file-wide refusal (no usable protocol): ask each flow alone.
                    for (String f : left) {
                        refusals.add(refusal(cap, dir, version, f));
                    }
                    break;
                }
                String bad = left.remove(line - 1);
                refusals.add(new Refusal(bad, stripLine(r.error())));
            }
        }
        return new Verdict(batches, refusals, skipped);
    }

    /** ovs-ofctl's message for one line alone (an add-flows file of that line, so command prefixes work). */
    private static Refusal refusal(OfctlCapture cap, Path dir, int version, String flow) throws IOException {
        OfctlCapture.Run r = cap.addFlows(version, OfctlCapture.flowFile(dir, "one.txt", List.of(flow)));
        if (r.exitCode() == 0) {
            throw new AssertionError("ovs-ofctl accepted alone what it refused in a file, or our prediction was "
                    + "wrong: " + flow);
        }
        return new Refusal(flow, stripLine(r.error()));
    }

    /** Parses one line as an add-flows file (so "delete ..." lines work), as ovs-ofctl add-flows would. */
    static OfctlFlows.FlowModBatch ours(String flow, int version) throws OfctlParseException {
        try {
            return OfctlFlows.parseFlowFile(new StringReader(flow + "\n"), "one.txt", version, FlowMod.OFPFC_ADD);
        } catch (OfctlParseException e) {
            throw new OfctlParseException(stripLine(e.getMessage()), e.token());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** "FILE:LINE: message" to "message"; other messages (file-wide ones) unchanged. */
    static String stripLine(String error) {
        return errorLine(error) > 0 ? error.substring(error.indexOf(": ", error.indexOf(':') + 1) + 2) : error;
    }

    /** The line number in "FILE:LINE: message", or -1. */
    private static int errorLine(String error) {
        if (error == null) {
            return -1;
        }
        String[] parts = error.split(":", 3);
        if (parts.length < 3) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static List<byte[]> zeroXids(List<byte[]> msgs) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] m : msgs) {
            out.add(OfctlFlows.withXid(m, 0));
        }
        return out;
    }

    /**
     * Compares our parser with a verdict; returns one line per difference (empty when identical) and counts the
     * flows checked byte for byte in {@code counts[0]} and the refusals matched in {@code counts[1]}.
     */
    static List<String> compare(Verdict v, int version, int[] counts) {
        List<String> diffs = new ArrayList<>();
        for (Batch b : v.batches()) {
            OfctlFlows.FlowModBatch ours;
            try {
                ours = OfctlFlows.parseFlowFile(new StringReader(String.join("\n", b.flows()) + "\n"), "flows.txt",
                        version, FlowMod.OFPFC_ADD);
            } catch (OfctlParseException | IOException e) {
                diffs.add("batch refused: " + e.getMessage());
                continue;
            }
            List<String> expPre = hexes(b.preamble());
            List<String> gotPre = hexes(ours.preamble());
            if (!expPre.equals(gotPre)) {
                diffs.add("preamble: ovs-ofctl " + expPre + ", ours " + gotPre + " (" + ours.protocol() + ")");
            }
            for (int i = 0; i < b.flows().size(); i++) {
                String exp = Hex.encode(b.flowMods().get(i));
                String got = Hex.encode(ours.flowMods().get(i).bytes());
                if (!exp.equals(got)) {
                    diffs.add(b.flows().get(i) + "\n    ovs-ofctl " + exp + "\n    ours      " + got);
                } else {
                    counts[0]++;
                }
            }
        }
        for (Refusal r : v.refusals()) {
            try {
                ours(r.flow(), version);
                diffs.add(r.flow() + "\n    ovs-ofctl refuses: " + r.message() + "\n    ours accepts");
            } catch (OfctlParseException e) {
                if (e.getMessage().equals(r.message())) {
                    counts[1]++;
                } else {
                    diffs.add(r.flow() + "\n    ovs-ofctl: " + r.message() + "\n    ours:      " + e.getMessage());
                }
            }
        }
        return diffs;
    }

    private static List<String> hexes(List<byte[]> msgs) {
        List<String> out = new ArrayList<>();
        for (byte[] m : msgs) {
            out.add(Hex.encode(m));
        }
        return out;
    }

    /** Writes a verdict in the golden layout. */
    static void write(Writer w, Verdict v) throws IOException {
        for (Batch b : v.batches()) {
            w.write("@batch\n");
            for (byte[] p : b.preamble()) {
                w.write("@pre " + Hex.encode(p) + "\n");
            }
            for (int i = 0; i < b.flows().size(); i++) {
                w.write("> " + b.flows().get(i) + "\n< " + Hex.encode(b.flowMods().get(i)) + "\n");
            }
        }
        for (Refusal r : v.refusals()) {
            w.write("> " + r.flow() + "\n! " + r.message() + "\n");
        }
    }

    /** Reads a verdict written by {@link #write}. */
    static Verdict read(InputStream in) throws IOException {
        List<Batch> batches = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<byte[]> pre = null;
        List<String> flows = null;
        List<byte[]> mods = null;
        String flow = null;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("@batch")) {
                pre = new ArrayList<>();
                flows = new ArrayList<>();
                mods = new ArrayList<>();
                batches.add(new Batch(pre, flows, mods));
            } else if (line.startsWith("@pre ")) {
                pre.add(Hex.decode(line.substring(5)));
            } else if (line.startsWith("> ")) {
                flow = line.substring(2);
            } else if (line.startsWith("< ")) {
                flows.add(flow);
                mods.add(Hex.decode(line.substring(2)));
            } else if (line.startsWith("! ")) {
                refusals.add(new Refusal(flow, line.substring(2)));
            }
        }
        return new Verdict(batches, refusals, 0);
    }
}
