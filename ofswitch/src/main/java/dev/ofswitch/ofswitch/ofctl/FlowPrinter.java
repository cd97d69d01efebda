package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The text {@code ovs-ofctl dump-flows} (Open vSwitch 3.1) prints, byte for byte, made from the flow stats reply
 * messages a switch sends: OpenFlow 1.0 {@code NXST_FLOW} (what ovs-ofctl asks for without {@code -O} when the switch
 * speaks NXM) and {@code OFPST_FLOW}, OpenFlow 1.3 and 1.4 {@code OFPMP_FLOW}, OpenFlow 1.5 {@code OFPMP_FLOW_DESC}.
 *
 * <h2>What ovs-ofctl prints</h2>
 * <pre>
 * OFPST_FLOW reply (OF1.3) (xid=0x2):                                 one header per reply message (flags=[more]
 *  cookie=0x0, duration=1.234s, table=0, n_packets=0, n_bytes=0,      when another follows), then one line per
 *  idle_timeout=10, send_flow_rem priority=5,tcp,tp_dst=80            flow, each starting with a space
 *  actions=set_field:1.2.3.4-&gt;ip_dst,output:3
 * </pre>
 * A line is OVS's {@code ofputil_flow_stats_format()}: cookie, duration (seconds, 3 decimals when the nanoseconds are
 * whole milliseconds), table, n_packets, n_bytes, idle_timeout/hard_timeout (unless 0), the flags
 * ({@code send_flow_rem check_overlap reset_counts no_packet_counts no_byte_counts}, space-separated, from 1.3+
 * replies only), importance (1.4+, unless 0), idle_age (NXST_FLOW and 1.5 replies), hard_age (NXST_FLOW, unless equal
 * to the duration's seconds), the match ({@link MatchFormatter}) and the actions ({@link ActionFormatter}).
 * With {@link Options#showStats()} off ({@code --no-stats}) the duration, counters and ages go, the cookie and table
 * stay only when not 0, and there are no headers. Sorting ({@code --sort}/{@code --rsort}) and port or table names
 * ({@code --names}) also print lines only, as ovs-ofctl's {@code ofctl_dump_flows()} does, and then, as its
 * {@code vconn_dump_flows()} decodes without the flow age extension, NXST_FLOW's ages are not shown.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * List<ByteBuf> replies = sw.flowStats(FlowStats.Request.all(OfVersion.OF13, 2));
 * String text = FlowPrinter.dumpFlows(replies, FlowPrinter.Options.DEFAULT);   // ovs-ofctl -O OpenFlow13 dump-flows
 * }</pre>
 * Stateless; the buffers are read, not released.
 */
public final class FlowPrinter {
    private FlowPrinter() {
    }

    /**
     * One {@code --sort[=FIELD]} / {@code --rsort[=FIELD]} criterion: {@code field} is an OVS field name as
     * ovs-ofctl's {@code mf_from_name()} knows it ({@link OvsField#byName}: {@code tcp_dst}, {@code nw_src},
     * {@code dl_vlan}, ...), or null for the priority.
     */
    public record SortKey(String field, boolean descending) {
        /**
         * The criterion of {@code --sort[=name]} ({@code descending} false) or {@code --rsort[=name]}.
         *
         * @throws IllegalArgumentException for a field name this switch does not know, with ovs-ofctl's message
         */
        public static SortKey parse(String name, boolean descending) {
            if (name == null || name.isEmpty() || name.equalsIgnoreCase("priority")) {
                return new SortKey(null, descending);
            }
            if (OvsField.byName(name) == null && !OvsField.isUnsupported(name)) {
                throw new IllegalArgumentException(name + ": unknown field name");
            }
            return new SortKey(name, descending);
        }
    }

    /**
     * How to print: {@code showStats} false is {@code --no-stats}; port and table names (keyed by OVS's 16-bit port
     * number and by table id) are what {@code --names} shows; {@code sort} lists the criteria in order.
     */
    public record Options(boolean showStats, Map<Integer, String> portNames, Map<Integer, String> tableNames,
                          List<SortKey> sort) {
        /** ovs-ofctl dump-flows without options. */
        public static final Options DEFAULT = new Options(true, Map.of(), Map.of(), List.of());

        /** Copies the collections. */
        public Options {
            portNames = Map.copyOf(portNames);
            tableNames = Map.copyOf(tableNames);
            sort = List.copyOf(sort);
        }

        /**
         * The options of an ovs-ofctl command line that change what dump-flows prints, in order:
         * {@code --stats}/{@code --no-stats}, {@code --sort[=FIELD]}, {@code --rsort[=FIELD]}.
         *
         * @throws IllegalArgumentException for another option or an unknown sort field
         */
        public static Options fromArgs(String... args) {
            Options o = DEFAULT;
            List<SortKey> sort = new ArrayList<>();
            for (String a : args) {
                if (a.equals("--no-stats")) {
                    o = o.noStats();
                } else if (a.equals("--stats")) {
                    o = new Options(true, o.portNames(), o.tableNames(), o.sort());
                } else if (a.startsWith("--sort") || a.startsWith("--rsort")) {
                    int eq = a.indexOf('=');
                    String head = eq < 0 ? a : a.substring(0, eq);
                    if (!head.equals("--sort") && !head.equals("--rsort")) {
                        throw new IllegalArgumentException("unrecognized option '" + a + "'");
                    }
                    sort.add(SortKey.parse(eq < 0 ? null : a.substring(eq + 1), head.equals("--rsort")));
                } else {
                    throw new IllegalArgumentException("unrecognized option '" + a + "'");
                }
            }
            return o.sorted(sort.toArray(new SortKey[0]));
        }

        /** These options without statistics ({@code --no-stats}). */
        public Options noStats() {
            return new Options(false, portNames, tableNames, sort);
        }

        /** These options sorted by {@code keys} ({@code --sort}/{@code --rsort}, in command-line order). */
        public Options sorted(SortKey... keys) {
            return new Options(showStats, portNames, tableNames, List.of(keys));
        }

        /** Whether ovs-ofctl would print the reply messages as they come (headers included). */
        boolean raw() {
            return showStats && sort.isEmpty() && portNames.isEmpty() && tableNames.isEmpty();
        }
    }

    /**
     * What {@code ovs-ofctl [-O VERSION] [OPTIONS] dump-flows} prints for these reply messages (one request's
     * replies, in order).
     *
     * @throws OpenFlowException if a message is not a flow stats reply or does not decode
     */
    public static String dumpFlows(List<ByteBuf> replies, Options o) throws OpenFlowException {
        StringBuilder s = new StringBuilder();
        if (o.raw()) {
            for (ByteBuf r : replies) {
                s.append(reply(FlowStats.decodeReply(r), o));
            }
            return s.toString();
        }
        List<Flow> flows = new ArrayList<>();
        for (ByteBuf r : replies) {
            FlowStats.Reply reply = FlowStats.decodeReply(r);
            for (FlowStats.Entry e : reply.entries()) {
                // ovs-ofctl's vconn_dump_flows() decodes without the flow age extension: no NXST_FLOW ages.
                flows.add(new Flow(reply.nicira() ? withoutAges(e) : e, reply.version()));
            }
        }
        if (!o.sort().isEmpty()) {
            flows.sort(comparator(o.sort()));   // List.sort is stable, as glibc's qsort (a merge sort) is in practice
        }
        for (Flow f : flows) {
            s.append(' ').append(flow(f.entry(), f.version(), o)).append('\n');
        }
        return s.toString();
    }

    private static FlowStats.Entry withoutAges(FlowStats.Entry e) {
        return new FlowStats.Entry(e.tableId(), e.durationSec(), e.durationNsec(), e.priority(), e.idleTimeout(),
                e.hardTimeout(), e.flags(), e.importance(), e.cookie(), e.packetCount(), e.byteCount(), -1, -1,
                e.match(), e.instructions());
    }

    /** A decoded entry and the version of the reply it came in. */
    private record Flow(FlowStats.Entry entry, int version) {
    }

    /** One reply message as ovs-ofctl's {@code ofp_print()} shows it: the header line, then a line per flow. */
    public static String reply(FlowStats.Reply r, Options o) {
        StringBuilder s = new StringBuilder();
        s.append(r.nicira() ? "NXST_FLOW reply" : "OFPST_FLOW reply");
        if (r.version() != OfVersion.OF10) {
            s.append(" (OF1.").append(r.version() - 1).append(')');
        }
        s.append(" (xid=0x").append(Integer.toHexString(r.xid())).append("):");
        if (r.more()) {
            s.append(" flags=[more]");
        }
        for (FlowStats.Entry e : r.entries()) {
            s.append("\n ").append(flow(e, r.version(), o));
        }
        return s.append('\n').toString();
    }

    /**
     * One flow as ovs-ofctl prints it (without the leading space), from a reply of wire version {@code version}.
     * {@code e} is as {@link FlowStats#decodeReply} gives it: what the reply's version cannot carry (importance before
     * 1.4, ages outside NXST_FLOW and 1.5) is already 0 or -1 there.
     */
    public static String flow(FlowStats.Entry e, int version, Options o) {
        StringBuilder s = new StringBuilder(160);
        boolean stats = o.showStats();
        if (stats || e.cookie() != 0) {
            s.append("cookie=0x").append(Long.toHexString(e.cookie())).append(", ");
        }
        if (stats) {
            s.append("duration=");
            duration(s, e.durationSec(), e.durationNsec());
            s.append(", ");
        }
        if (stats || e.tableId() != 0 || o.tableNames().containsKey(e.tableId())) {
            s.append("table=");
            Text.putTable(s, e.tableId(), o.tableNames());
            s.append(", ");
        }
        if (stats) {
            s.append("n_packets=").append(Long.toUnsignedString(e.packetCount())).append(", ");
            s.append("n_bytes=").append(Long.toUnsignedString(e.byteCount())).append(", ");
        }
        if (e.idleTimeout() != 0) {
            s.append("idle_timeout=").append(e.idleTimeout()).append(", ");
        }
        if (e.hardTimeout() != 0) {
            s.append("hard_timeout=").append(e.hardTimeout()).append(", ");
        }
        flags(s, version, e.flags());
        if (e.importance() != 0) {
            s.append("importance=").append(e.importance()).append(", ");
        }
        if (stats && e.idleAgeSec() >= 0) {
            s.append("idle_age=").append(e.idleAgeSec()).append(", ");
        }
        if (stats && e.hardAgeSec() >= 0 && e.hardAgeSec() != e.durationSec()) {
            s.append("hard_age=").append(e.hardAgeSec()).append(", ");
        }
        int before = s.length();
        MatchFormatter.format(s, e.match(), e.priority(), o.portNames());
        if (s.length() != before) {
            s.append(' ');
        }
        s.append("actions=");
        ActionFormatter.format(s, e.instructions(), o.portNames(), o.tableNames());
        return s.toString();
    }

    /** As OVS {@code ofp_print_duration()}: seconds, then 3 decimals for whole milliseconds, else up to 9. */
    static void duration(StringBuilder s, long sec, long nsec) {
        s.append(sec);
        if (nsec > 0) {
            long msec = nsec / 1_000_000;
            if (msec * 1_000_000 == nsec) {
                s.append('.').append(String.format("%03d", msec));
            } else {
                String n = String.format("%09d", nsec);
                int end = n.length();
                while (n.charAt(end - 1) == '0') {
                    end--;
                }
                s.append('.').append(n, 0, end);
            }
        }
        s.append('s');
    }

    /**
     * As OVS {@code ofp_print_flow_flags()}, each followed by a space. Only OpenFlow 1.3+ replies carry flags
     * ({@code ofputil_decode_flow_stats_reply()} zeroes them for the others); bit 3 and 4 are 1.3's
     * no_packet_counts/no_byte_counts.
     */
    private static void flags(StringBuilder s, int version, int flags) {
        if (version < OfVersion.OF13) {
            return;
        }
        String[] names = {"send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                s.append(names[i]).append(' ');
            }
        }
    }

    /**
     * As ovs-ofctl's {@code compare_flows()}: by priority, or by a field's value (flows that do not match on the
     * field, or whose prerequisites fail, go last in both directions), criteria in order, and then, as ovs-ofctl's
     * {@code parse_options()} always adds, by descending priority.
     */
    private static Comparator<Flow> comparator(List<SortKey> keys) {
        List<SortKey> all = new ArrayList<>(keys);
        all.add(new SortKey(null, true));
        return (a, b) -> {
            for (SortKey k : all) {
                int ret;
                if (k.field() == null) {
                    ret = Integer.compare(a.entry().priority(), b.entry().priority());
                } else {
                    SortValue va = sortValue(a.entry(), k.field());
                    SortValue vb = sortValue(b.entry(), k.field());
                    if (va.present() != vb.present()) {
                        return va.present() ? -1 : 1;
                    }
                    // Two flows without the field still compare by its (zero or other-protocol) value, as OVS does.
                    ret = java.util.Arrays.compareUnsigned(va.value(), vb.value());
                }
                if (ret != 0) {
                    return k.descending() ? -ret : ret;
                }
            }
            return 0;
        };
    }

    /** A flow's value of a sort field and whether its match says it (with its prerequisites met). */
    private record SortValue(boolean present, byte[] value) {
    }

    /**
     * The field's value in the flow's match as OVS's {@code mf_get_value()} reads it from the match's flow (0 where
     * wildcarded; a shared field such as tp_dst reads the same bits for tcp_dst and udp_dst), and whether the match
     * says it. {@code dl_vlan} and {@code dl_vlan_pcp} are OVS's OpenFlow 1.0 views of the VLAN TCI.
     */
    private static SortValue sortValue(FlowStats.Entry e, String name) {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        e.match().toKey(v, m);
        if (name.equals("dl_vlan") || name.equals("dl_vlan_pcp")) {
            boolean vid = name.equals("dl_vlan");
            long tci = FlowKey.get(v, MatchField.VLAN_TCI);
            boolean present = (FlowKey.get(m, MatchField.VLAN_TCI) & (vid ? 0x0fff : 0xe000)) != 0;
            return new SortValue(present, vid ? new byte[] {(byte) ((tci >> 8) & 0x0f), (byte) tci}
                    : new byte[] {(byte) (tci >>> 13)});
        }
        OvsField o = OvsField.byName(name);
        if (o == null) {
            return new SortValue(false, new byte[0]);     // a field OVS knows that this switch never matches on
        }
        MatchField f = o.field();
        byte[] out = new byte[f.nBytes()];
        FlowKey.getBytes(v, f, out, 0);
        return new SortValue(!FlowKey.isWild(m, f) && f.prerequisite().isMet(v, m), out);
    }
}
