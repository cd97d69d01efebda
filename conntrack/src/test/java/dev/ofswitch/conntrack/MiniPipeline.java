package dev.ofswitch.conntrack;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A deliberately small interpreter of the flow tables of the oracle examples, so that the conntrack engine can be
 * checked against real OVS's reports before the switch's pipeline exists. It understands exactly the syntax those
 * tables use, as {@code ovs-ofctl dump-flows} prints it: {@code priority}, {@code ip}/{@code ipv6}/{@code tcp}/
 * {@code icmp} (after any VLAN tags), {@code in_port}, {@code ct_state}, {@code ct_zone}, {@code ct_mark},
 * {@code ct_label}, {@code tcp_flags=+psh};
 * actions {@code ct(commit,table=,zone=,exec(set_field|load -> ct_mark|ct_label))}, {@code output}, {@code drop},
 * {@code goto_table}, {@code resubmit(,N)}, {@code ct_clear}.
 *
 * <p>Semantics follow OVS: after a {@code ct()} without {@code table=} the rest of the pass matches the packet as
 * untracked with zero ct fields, while the packet's real metadata (and its cached connection) goes on; a
 * {@code ct(table=N)} continues in table N with the new state once the current action list is done.
 */
final class MiniPipeline {
    final List<Rule> rules = new ArrayList<>();
    private final ConnTracker tracker;

    MiniPipeline(ConnTracker tracker) {
        this.tracker = tracker;
    }

    /** One flow: its dump text (without table and counters), match and actions. */
    static final class Rule {
        int table;
        int priority;
        String text;
        Predicate<Packet> match = p -> true;
        List<String> actions = new ArrayList<>();
        long packets;
        long bytes;
        int hitsThisPacket;
    }

    /** A packet going through the pipeline. */
    static final class Packet {
        final byte[] frame;
        final int inPort;
        final CtMetadata md = new CtMetadata();
        /** After a ct() without table=: matching sees the packet untracked. */
        boolean viewCleared;
        final List<Integer> outputs = new ArrayList<>();
        Integer recircTable;

        Packet(byte[] frame, int inPort) {
            this.frame = frame;
            this.inPort = inPort;
        }

        /** Offset of the L3 header: after the Ethernet header and any 802.1Q/802.1ad tags. */
        int l3() {
            int p = 12;
            while (p + 4 <= frame.length && (u16(p) == 0x8100 || u16(p) == 0x88a8)) {
                p += 4;
            }
            return p + 2;
        }

        /** The Ethernet type OpenFlow matches: the innermost one, as OVS's {@code dl_type}. */
        int ethType() {
            return u16(l3() - 2);
        }

        int ipProto() {
            return ethType() == 0x0800 ? frame[l3() + 9] & 0xff : -1;
        }

        int tcpFlags() {
            int l4 = l3() + (frame[l3()] & 0x0f) * 4;
            return frame[l4 + 13] & 0xff;
        }

        private int u16(int i) {
            return ((frame[i] & 0xff) << 8) | (frame[i + 1] & 0xff);
        }

        int state() {
            return viewCleared ? 0 : md.state();
        }

        int zone() {
            return viewCleared ? 0 : md.zone();
        }

        int mark() {
            return viewCleared ? 0 : md.mark();
        }

        BigInteger label() {
            if (viewCleared) {
                return BigInteger.ZERO;
            }
            return new BigInteger(1, longsToBytes(md.labelHi(), md.labelLo()));
        }
    }

    /** Parses one line of {@code dump-flows} output ({@code table=0, n_packets=.., n_bytes=.., priority=..}). */
    void addDumpedFlow(String line) {
        String s = line.trim();
        Rule r = new Rule();
        int comma = s.indexOf(", ");
        r.table = Integer.parseInt(s.substring("table=".length(), comma));
        s = s.substring(comma + 2);
        // drop n_packets / n_bytes
        s = s.replaceFirst("^n_packets=\\d+, n_bytes=\\d+, ", "");
        r.text = s;
        int sp = s.indexOf(" actions=");
        String match = s.substring(0, sp);
        String actions = s.substring(sp + " actions=".length());
        for (String m : match.split(",")) {
            parseMatch(r, m);
        }
        r.actions = splitTopLevel(actions);
        rules.add(r);
    }

    private static void parseMatch(Rule r, String m) {
        if (m.startsWith("priority=")) {
            r.priority = Integer.parseInt(m.substring(9));
            return;
        }
        Predicate<Packet> p;
        if (m.equals("ip")) {
            p = pk -> pk.ethType() == 0x0800;
        } else if (m.equals("ipv6")) {
            p = pk -> pk.ethType() == 0x86dd;
        } else if (m.equals("tcp")) {
            p = pk -> pk.ipProto() == 6;
        } else if (m.equals("icmp")) {
            p = pk -> pk.ipProto() == 1;
        } else if (m.startsWith("in_port=")) {
            int port = Integer.parseInt(m.substring(8));
            p = pk -> pk.inPort == port;
        } else if (m.startsWith("ct_state=")) {
            int want = 0;
            int mask = 0;
            String spec = m.substring(9);
            for (int i = 0; i < spec.length(); ) {
                char sign = spec.charAt(i++);
                int j = i;
                while (j < spec.length() && spec.charAt(j) != '+' && spec.charAt(j) != '-') {
                    j++;
                }
                int bit = CtState.parseBit(spec.substring(i, j));
                mask |= bit;
                if (sign == '+') {
                    want |= bit;
                }
                i = j;
            }
            int w = want;
            int k = mask;
            p = pk -> (pk.state() & k) == w;
        } else if (m.startsWith("ct_zone=")) {
            int z = Integer.parseInt(m.substring(8));
            p = pk -> pk.zone() == z;
        } else if (m.startsWith("ct_mark=")) {
            long[] vm = valueMask(m.substring(8));
            p = pk -> (pk.mark() & vm[1]) == vm[0];
        } else if (m.startsWith("ct_label=")) {
            String spec = m.substring(9);
            int slash = spec.indexOf('/');
            BigInteger v = parseBig(slash < 0 ? spec : spec.substring(0, slash));
            BigInteger mask = slash < 0 ? BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)
                    : parseBig(spec.substring(slash + 1));
            p = pk -> pk.label().and(mask).equals(v);
        } else if (m.equals("tcp_flags=+psh")) {
            p = pk -> (pk.tcpFlags() & 0x08) != 0;
        } else {
            throw new IllegalArgumentException("MiniPipeline does not know match " + m);
        }
        r.match = r.match.and(p);
    }

    private static long[] valueMask(String spec) {
        int slash = spec.indexOf('/');
        long v = Long.decode(slash < 0 ? spec : spec.substring(0, slash));
        long mask = slash < 0 ? 0xffffffffL : Long.decode(spec.substring(slash + 1));
        return new long[] {v, mask};
    }

    private static BigInteger parseBig(String s) {
        return s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
    }

    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** Runs one packet through every table, recirculations included. */
    void process(Packet pk, long now) {
        for (Rule r : rules) {
            r.hitsThisPacket = 0;
        }
        int table = 0;
        while (true) {
            pk.recircTable = null;
            runTable(pk, table, now);
            if (pk.recircTable == null) {
                return;
            }
            table = pk.recircTable;
            pk.viewCleared = false;
        }
    }

    private void runTable(Packet pk, int table, long now) {
        Rule best = null;
        for (Rule r : rules) {
            if (r.table == table && r.match.test(pk) && (best == null || r.priority > best.priority)) {
                best = r;
            }
        }
        if (best == null) {
            return;     // table miss: drop
        }
        best.packets++;
        best.bytes += pk.frame.length;
        best.hitsThisPacket++;
        for (String a : best.actions) {
            if (a.startsWith("ct(")) {
                runCt(pk, a.substring(3, a.length() - 1), now);
            } else if (a.startsWith("output:")) {
                pk.outputs.add(Integer.parseInt(a.substring(7)));
            } else if (a.equals("drop")) {
                return;
            } else if (a.startsWith("goto_table:")) {
                runTable(pk, Integer.parseInt(a.substring(11)), now);
                return;
            } else if (a.startsWith("resubmit(,")) {
                runTable(pk, Integer.parseInt(a.substring(10, a.length() - 1)), now);
            } else if (a.equals("ct_clear")) {
                pk.md.clear();
                pk.viewCleared = false;
            } else {
                throw new IllegalArgumentException("MiniPipeline does not know action " + a);
            }
        }
    }

    private void runCt(Packet pk, String args, long now) {
        CtParams.Builder b = CtParams.builder();
        int zone = 0;
        Integer table = null;
        for (String arg : splitTopLevel(args)) {
            if (arg.equals("commit")) {
                b.commit(true);
            } else if (arg.startsWith("table=")) {
                table = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("zone=")) {
                zone = Integer.parseInt(arg.substring(5));
            } else if (arg.startsWith("exec(")) {
                for (String e : splitTopLevel(arg.substring(5, arg.length() - 1))) {
                    execWrite(b, e);
                }
            } else {
                throw new IllegalArgumentException("MiniPipeline does not know ct argument " + arg);
            }
        }
        tracker.execute(pk.frame, 0, pk.frame.length, zone, b.build(), pk.md, now);
        if (table != null) {
            pk.recircTable = table;
        } else {
            pk.viewCleared = true;
        }
    }

    /** {@code set_field:V[/M]->ct_mark|ct_label} or {@code load:V->NXM_NX_CT_MARK[a..b]|NXM_NX_CT_LABEL[n]}. */
    private static void execWrite(CtParams.Builder b, String e) {
        String[] parts = e.split("->");
        String lhs = parts[0];
        String dst = parts[1];
        BigInteger value;
        BigInteger mask;
        if (lhs.startsWith("set_field:")) {
            String spec = lhs.substring(10);
            int slash = spec.indexOf('/');
            value = parseBig(slash < 0 ? spec : spec.substring(0, slash));
            mask = slash < 0 ? null : parseBig(spec.substring(slash + 1));
        } else if (lhs.startsWith("load:")) {
            BigInteger v = parseBig(lhs.substring(5));
            int lb = dst.indexOf('[');
            String range = dst.substring(lb + 1, dst.length() - 1);
            int lo;
            int hi;
            if (range.contains("..")) {
                lo = Integer.parseInt(range.substring(0, range.indexOf("..")));
                hi = Integer.parseInt(range.substring(range.indexOf("..") + 2));
            } else {
                lo = Integer.parseInt(range);
                hi = lo;
            }
            value = v.shiftLeft(lo);
            mask = BigInteger.ONE.shiftLeft(hi - lo + 1).subtract(BigInteger.ONE).shiftLeft(lo);
            dst = dst.substring(0, lb);
        } else {
            throw new IllegalArgumentException("MiniPipeline does not know exec action " + e);
        }
        if (dst.equals("ct_mark") || dst.equals("NXM_NX_CT_MARK")) {
            b.mark(value.intValue(), mask == null ? -1 : mask.intValue());
        } else if (dst.equals("ct_label") || dst.equals("NXM_NX_CT_LABEL")) {
            BigInteger m = mask == null ? BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE) : mask;
            b.label(value.shiftRight(64).longValue(), value.longValue(), m.shiftRight(64).longValue(), m.longValue());
        } else {
            throw new IllegalArgumentException("MiniPipeline does not know exec destination " + dst);
        }
    }

    /** The per-packet {@code hit} lines, in the oracle's order. */
    List<String> hitLines() {
        List<String> out = new ArrayList<>();
        for (Rule r : sorted()) {
            if (r.hitsThisPacket > 0) {
                out.add("  hit table=" + r.table + ", " + r.text + (r.hitsThisPacket > 1 ? "  (x" + r.hitsThisPacket
                        + ")" : ""));
            }
        }
        return out;
    }

    /** The final {@code flows (M)} section. */
    List<String> flowLines() {
        List<String> out = new ArrayList<>();
        out.add("flows (" + rules.size() + ")");
        for (Rule r : sorted()) {
            out.add("  table=" + r.table + ", n_packets=" + r.packets + ", n_bytes=" + r.bytes + ", " + r.text);
        }
        return out;
    }

    private List<Rule> sorted() {
        List<Rule> s = new ArrayList<>(rules);
        s.sort(Comparator.<Rule>comparingInt(r -> r.table).thenComparing(r -> -r.priority)
                .thenComparing(r -> r.text));
        return s;
    }

    static Map<Integer, Integer> countOutputs(List<Integer> outs) {
        Map<Integer, Integer> m = new TreeMap<>();
        for (int o : outs) {
            m.merge(o, 1, Integer::sum);
        }
        return m;
    }

    static byte[] longsToBytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }
}
