package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;

/**
 * The text {@code ovs-ofctl dump-ports} (Open vSwitch 3.1) prints for port stats replies, byte for byte: OVS
 * {@code ofp_print_ofpst_port_reply()} and {@code ofputil_format_port_stats()} ({@code lib/ofp-port.c}).
 *
 * <pre>
 * OFPST_PORT reply (OF1.3) (xid=0x2): 2 ports                       one header per reply message
 *   port  1: rx pkts=3, bytes=180, drop=0, errs=0, frame=0, over=0, crc=0
 *            tx pkts=1, bytes=43, drop=0, errs=0, coll=0
 *            duration=3.21053712s                                  OpenFlow 1.3+ only
 *   port LOCAL: rx pkts=0, bytes=0, drop=0, errs=?, frame=?, over=?, crc=?
 * </pre>
 * A counter of all ones is unknown and printed {@code ?}; a port number under 10 gets an extra space.
 *
 * <table>
 *   <caption>Entries per version</caption>
 *   <tr><th>version</th><th>entry</th></tr>
 *   <tr><td>1.0</td><td>{@code ofp10_port_stats}: port_no(2) pad(6) 12 counters (104 bytes)</td></tr>
 *   <tr><td>1.1, 1.2</td><td>{@code ofp11_port_stats}: port_no(4) pad(4) 12 counters (104 bytes)</td></tr>
 *   <tr><td>1.3</td><td>{@code ofp13_port_stats}: the 1.1 entry, duration_sec(4), duration_nsec(4) (112)</td></tr>
 *   <tr><td>1.4, 1.5</td><td>{@code ofp14_port_stats}: length(2) pad(2) port_no(4) duration(8) 8 counters (80),
 *       then properties: Ethernet (type 0: frame, over, crc errors, collisions) and Intel's experimenter ones
 *       (0x0000aa01: the RFC 2819 size and error counters, type 1, printed on {@code rx rfc2819} / {@code tx rfc2819}
 *       lines when known; custom named counters, type 2, printed under {@code CUSTOM Statistics}, as OVS's dummy
 *       and DPDK ports send them); others are skipped, as OVS skips unknown ones</td></tr>
 * </table>
 * The 12 counters are rx/tx packets, rx/tx bytes, rx/tx dropped, rx/tx errors, rx frame, rx over, rx crc errors and
 * collisions. Stateless; buffers are read, not released.
 */
public final class PortStatsPrinter {
    /** {@code OFPST_PORT} / {@code OFPMP_PORT_STATS}. */
    static final int OFPST_PORT = 4;
    private static final long UNKNOWN = -1L;
    private static final int OFPPSPT14_ETHERNET = 0;
    /** Intel's experimenter id and its port stats property types ({@code include/openflow/intel-ext.h}). */
    private static final int INTEL_VENDOR_ID = 0x0000aa01;
    private static final int INTEL_PORT_STATS_RFC2819 = 1;
    private static final int INTEL_PORT_STATS_CUSTOM = 2;
    /**
     * {@code intel_port_stats_rfc2819}'s counters in wire order (after 16 bytes of header and padding), by the names
     * OVS prints; {@link #RFC2819_RX} says which line each goes on. OVS prints the rx line in the order
     * 1_to_64 .. 1523_to_max, broadcast, undersized, oversize, fragmented, jabber, the tx line 1_to_64 ..
     * 1523_to_max, multicast, broadcast.
     */
    private static final String[] RFC2819 = {"1_to_64_packets", "65_to_127_packets", "128_to_255_packets",
        "256_to_511_packets", "512_to_1023_packets", "1024_to_1522_packets", "1523_to_max_packets",
        "1_to_64_packets", "65_to_127_packets", "128_to_255_packets", "256_to_511_packets", "512_to_1023_packets",
        "1024_to_1522_packets", "1523_to_max_packets", "multicast_packets", "broadcast_packets",
        "broadcast_packets", "undersized_errors", "oversize_errors", "rx_fragmented_errors", "rx_jabber_errors"};
    private static final boolean[] RFC2819_RX = {true, true, true, true, true, true, true,
        false, false, false, false, false, false, false, false, true, false, true, true, true, true};

    private PortStatsPrinter() {
    }

    /** What ovs-ofctl prints for the reply messages of one dump-ports request (ports by number). */
    public static String dumpPorts(List<ByteBuf> replies) {
        return dumpPorts(replies, Map.of());
    }

    /**
     * As {@link #dumpPorts(List)}, showing ports by name where {@code portNames} (16-bit number to name) has one,
     * as {@code ovs-ofctl --names} does.
     *
     * @throws IllegalArgumentException if a message is not a port stats reply
     */
    public static String dumpPorts(List<ByteBuf> replies, Map<Integer, String> portNames) {
        StringBuilder s = new StringBuilder();
        for (ByteBuf r : replies) {
            reply(s, r, portNames);
        }
        return s.toString();
    }

    private static void reply(StringBuilder s, ByteBuf r, Map<Integer, String> names) {
        int at = r.readerIndex();
        int version = r.getUnsignedByte(at);
        int type = r.getUnsignedByte(at + 1);
        int len = r.getUnsignedShort(at + 2);
        int body = version == OfVersion.OF10 ? 12 : 16;
        boolean stats = version == OfVersion.OF10 ? type == 17 : type == 19;
        if (!stats || len < body || r.getUnsignedShort(at + 8) != OFPST_PORT) {
            throw new IllegalArgumentException("not a port stats reply (version " + version + ", type " + type + ")");
        }
        int flags = r.getUnsignedShort(at + 10);
        s.append("OFPST_PORT reply");
        if (version != OfVersion.OF10) {
            s.append(" (OF1.").append(version - 1).append(')');
        }
        s.append(" (xid=0x").append(Integer.toHexString(r.getInt(at + 4))).append("):");
        if (flags != 0) {
            s.append(" flags=");
            if ((flags & 1) != 0) {
                s.append("[more]");
            }
            if ((flags & ~1) != 0) {
                s.append(String.format("[***unknown flags 0x%04x***]", flags & ~1));
            }
        }
        StringBuilder lines = new StringBuilder();
        int n = 0;
        int i = at + body;
        int end = at + len;
        long[] c = new long[12];
        long[] rfc = new long[RFC2819.length];
        StringBuilder customs = new StringBuilder();
        while (i < end) {
            int entryLen;
            int port;
            long durSec = UNKNOWN;
            long durNsec = 0;
            java.util.Arrays.fill(c, UNKNOWN);
            java.util.Arrays.fill(rfc, UNKNOWN);
            customs.setLength(0);
            if (version == OfVersion.OF10 || version <= OfVersion.OF13) {
                entryLen = version == OfVersion.OF13 ? 112 : 104;
                if (end - i < entryLen) {
                    break;
                }
                port = version == OfVersion.OF10 ? r.getUnsignedShort(i) : MatchField.portFromOfp11(r.getUnsignedInt(i));
                for (int k = 0; k < 12; k++) {
                    c[k] = r.getLong(i + 8 + 8 * k);
                }
                if (version == OfVersion.OF13) {
                    durSec = r.getUnsignedInt(i + 104);
                    durNsec = r.getUnsignedInt(i + 108);
                }
            } else {
                if (end - i < 80) {
                    break;
                }
                entryLen = r.getUnsignedShort(i);
                if (entryLen < 80 || entryLen > end - i) {
                    break;
                }
                port = MatchField.portFromOfp11(r.getUnsignedInt(i + 4));
                durSec = r.getUnsignedInt(i + 8);
                durNsec = r.getUnsignedInt(i + 12);
                for (int k = 0; k < 8; k++) {
                    c[k] = r.getLong(i + 16 + 8 * k);
                }
                // Properties: type(2) length(2) payload, each padded to 8 (OVS ofpprop_pull()).
                int p = i + 80;
                while (p + 4 <= i + entryLen) {
                    int ptype = r.getUnsignedShort(p);
                    int plen = r.getUnsignedShort(p + 2);
                    if (plen < 4 || p + plen > i + entryLen) {
                        break;
                    }
                    if (ptype == OFPPSPT14_ETHERNET && plen == 40) {
                        for (int k = 0; k < 4; k++) {
                            c[8 + k] = r.getLong(p + 8 + 8 * k);
                        }
                    } else if (ptype == 0xffff && plen >= 12 && r.getInt(p + 4) == INTEL_VENDOR_ID) {
                        int expType = r.getInt(p + 8);
                        if (expType == INTEL_PORT_STATS_RFC2819 && plen == 184) {
                            for (int k = 0; k < RFC2819.length; k++) {
                                rfc[k] = r.getLong(p + 16 + 8 * k);
                            }
                        } else if (expType == INTEL_PORT_STATS_CUSTOM && plen >= 16) {
                            custom(r, p + 16, p + plen, r.getUnsignedShort(p + 14), customs);
                        }
                    }
                    p += (plen + 7) & ~7;
                }
            }
            if (port < 0) {
                break;
            }
            n++;
            format(lines, port, c, durSec, durNsec, names);
            extended(lines, rfc, customs);
            i += entryLen;
        }
        s.append(' ').append(n).append(" ports\n").append(lines);
    }

    /** OVS {@code ofputil_format_port_stats()}. {@code c}: rx/tx packets, bytes, dropped, errors, then frame... */
    private static void format(StringBuilder s, int port, long[] c, long durSec, long durNsec,
                               Map<Integer, String> names) {
        s.append("  port ");
        if (port < 10) {
            s.append(' ');
        }
        Text.putPort(s, port, names);
        s.append(": rx ");
        stat(s, "pkts=", c[0], true);
        stat(s, "bytes=", c[2], true);
        stat(s, "drop=", c[4], true);
        stat(s, "errs=", c[6], true);
        stat(s, "frame=", c[8], true);
        stat(s, "over=", c[9], true);
        stat(s, "crc=", c[10], false);
        s.append("           tx ");
        stat(s, "pkts=", c[1], true);
        stat(s, "bytes=", c[3], true);
        stat(s, "drop=", c[5], true);
        stat(s, "errs=", c[7], true);
        stat(s, "coll=", c[11], false);
        if (durSec != UNKNOWN && durSec != 0xffffffffL) {
            s.append("           duration=");
            FlowPrinter.duration(s, durSec, durNsec);
            s.append('\n');
        }
    }

    /**
     * Intel's custom counters ({@code intel_port_custom_stats}: after the 16-byte header, {@code n} times a name
     * length (1), the name, a value (8, unaligned)), as OVS prints them: three a line, each {@code name=value,}.
     */
    private static void custom(ByteBuf r, int at, int end, int n, StringBuilder out) {
        for (int i = 0; i < n; i++) {
            if (at >= end) {
                return;
            }
            int nameLen = r.getUnsignedByte(at);
            if (at + 1 + nameLen + 8 > end) {
                return;
            }
            String name = r.toString(at + 1, nameLen, java.nio.charset.StandardCharsets.UTF_8);
            long value = r.getLong(at + 1 + nameLen);
            at += 1 + nameLen + 8;
            if (name.isEmpty()) {
                continue;
            }
            out.append(i % 3 == 0 ? "\n                      " : " ").append(name).append('=')
                    .append(Long.toUnsignedString(value)).append(',');
        }
    }

    /** The RFC 2819 counters (the known ones, as OVS: only lines with at least one) and the custom ones. */
    private static void extended(StringBuilder s, long[] rfc, CharSequence customs) {
        for (int dir = 0; dir < 2; dir++) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < RFC2819.length; k++) {
                if (RFC2819_RX[k] == (dir == 0) && rfc[k] != UNKNOWN) {
                    line.append(RFC2819[k]).append('=').append(Long.toUnsignedString(rfc[k])).append(", ");
                }
            }
            if (line.length() > 0) {
                s.append(dir == 0 ? "           rx rfc2819 " : "           tx rfc2819 ").append(line).append('\n');
            }
        }
        if (customs.length() > 0) {
            s.append("           CUSTOM Statistics").append(customs).append('\n');
        }
    }

    private static void stat(StringBuilder s, String leader, long v, boolean more) {
        s.append(leader);
        if (v == UNKNOWN) {
            s.append('?');
        } else {
            s.append(Long.toUnsignedString(v));
        }
        s.append(more ? ", " : "\n");
    }
}
