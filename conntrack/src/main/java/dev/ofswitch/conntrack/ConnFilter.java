package dev.ofswitch.conntrack;

import java.util.List;

/**
 * Which connections a flush deletes: a zone (or all), an original-direction and a reply-direction
 * {@link TuplePattern}, and masked {@code ct_mark} / {@code ct_label} values. Everything given must match.
 *
 * <p>As OVS's {@code ct_dpif_flush_tuple()}: when the original tuple names one connection exactly
 * ({@link TuplePattern#isFiveTuple()}) and no reply tuple is given, the flush looks that connection up (in either
 * direction) in the given zone, and without {@code zone=} in zone 0 only (OVS's documented behaviour); otherwise it
 * scans every zone, or the one given, comparing both tuples ({@code ct_dpif_entry_cmp()}). When the filter names ICMP
 * or ICMPv6 as the protocol, OVS compares the echo identifier, type and code of both directions even where they were
 * not given (as 0), so a missing reply tuple then only matches a reply of identifier 0, type 0, code 0: real OVS 3.1
 * does not flush an echo connection with identifier 9 for {@code ct_nw_proto=1,icmp_type=8,icmp_id=9}. Immutable.
 */
public final class ConnFilter {
    private static final ConnFilter ALL = new ConnFilter(-1, null, null, false, 0, 0, false, 0, 0, 0, 0);

    private final int zone;
    private final TuplePattern orig;
    private final TuplePattern reply;
    private final boolean matchMark;
    private final int mark;
    private final int markMask;
    private final boolean matchLabel;
    private final long labelHi;
    private final long labelLo;
    private final long labelMaskHi;
    private final long labelMaskLo;

    private ConnFilter(int zone, TuplePattern orig, TuplePattern reply, boolean matchMark, int mark, int markMask,
                       boolean matchLabel, long labelHi, long labelLo, long labelMaskHi, long labelMaskLo) {
        this.zone = zone;
        this.orig = orig;
        this.reply = reply;
        this.matchMark = matchMark;
        this.mark = mark & markMask;
        this.markMask = markMask;
        this.matchLabel = matchLabel;
        this.labelHi = labelHi & labelMaskHi;
        this.labelLo = labelLo & labelMaskLo;
        this.labelMaskHi = labelMaskHi;
        this.labelMaskLo = labelMaskLo;
    }

    /** Every connection of every zone. */
    public static ConnFilter all() {
        return ALL;
    }

    /** Every connection of {@code zone}. */
    public static ConnFilter zone(int zone) {
        return ALL.withZone(zone);
    }

    public ConnFilter withZone(int zone) {
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("zone out of range: " + zone);
        }
        return new ConnFilter(zone, orig, reply, matchMark, mark, markMask, matchLabel, labelHi, labelLo, labelMaskHi,
                labelMaskLo);
    }

    public ConnFilter withOrig(TuplePattern p) {
        return new ConnFilter(zone, p, reply, matchMark, mark, markMask, matchLabel, labelHi, labelLo, labelMaskHi,
                labelMaskLo);
    }

    public ConnFilter withReply(TuplePattern p) {
        return new ConnFilter(zone, orig, p, matchMark, mark, markMask, matchLabel, labelHi, labelLo, labelMaskHi,
                labelMaskLo);
    }

    public ConnFilter withMark(int value, int mask) {
        return new ConnFilter(zone, orig, reply, true, value, mask, matchLabel, labelHi, labelLo, labelMaskHi,
                labelMaskLo);
    }

    public ConnFilter withLabel(long valueHi, long valueLo, long maskHi, long maskLo) {
        return new ConnFilter(zone, orig, reply, matchMark, mark, markMask, true, valueHi, valueLo, maskHi, maskLo);
    }

    /** The zone, or -1 for every zone. */
    public int zone() {
        return zone;
    }

    public TuplePattern orig() {
        return orig;
    }

    public TuplePattern reply() {
        return reply;
    }

    /**
     * Whether the original tuple names one connection and there is no reply tuple, so the flush is a lookup of the
     * original tuple (in zone 0 unless a zone is given).
     */
    public boolean isExactLookup() {
        return orig != null && orig.isFiveTuple() && (reply == null || reply.isEmpty());
    }

    /**
     * Parses the arguments of {@code ovs-appctl dpctl/flush-conntrack}: {@code [zone=N] [mark=V[/M]]
     * [labels=V[/M]] [ORIG-TUPLE [REPLY-TUPLE]]}. Messages name what was wrong.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    public static ConnFilter parseDpctl(List<String> args) {
        ConnFilter f = ALL;
        int i = 0;
        if (i < args.size() && args.get(i).startsWith("zone=")) {
            String v = args.get(i).substring(5);
            int z;
            try {
                z = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("failed to parse zone");
            }
            if (z < 0 || z > 0xffff) {
                throw new IllegalArgumentException("failed to parse zone");
            }
            f = f.withZone(z);
            i++;
        }
        while (i < args.size() && (args.get(i).startsWith("mark=") || args.get(i).startsWith("labels="))) {
            String a = args.get(i);
            if (a.startsWith("mark=")) {
                long[] vm = parseMasked(a.substring(5), "mark", 32);
                f = f.withMark((int) vm[1], (int) vm[3]);
            } else {
                long[] vm = parseMasked(a.substring(7), "labels", 128);
                f = f.withLabel(vm[0], vm[1], vm[2], vm[3]);
            }
            i++;
        }
        TuplePattern o = null;
        if (i < args.size()) {
            o = TuplePattern.parse(args.get(i++));
            f = f.withOrig(o);
        }
        if (i < args.size()) {
            TuplePattern r = TuplePattern.parse(args.get(i++), o);
            if (o != null && r.proto() != o.proto()) {
                f = f.withOrig(o.withProto(r.proto()));     // one protocol for both tuples, the last one given
            }
            f = f.withReply(r);
        }
        if (i < args.size()) {
            throw new IllegalArgumentException("invalid arguments");
        }
        return f;
    }

    /** Parses {@code VALUE[/MASK]} of up to 128 bits: returns {valueHi, valueLo, maskHi, maskLo}. */
    private static long[] parseMasked(String s, String what, int bits) {
        int slash = s.indexOf('/');
        String value = slash < 0 ? s : s.substring(0, slash);
        long[] v = parseBig(value, what, bits);
        long[] m = slash < 0 ? new long[] {bits >= 128 ? -1L : 0, bits >= 64 ? -1L : (1L << bits) - 1}
                : parseBig(s.substring(slash + 1), what, bits);
        return new long[] {v[0], v[1], m[0], m[1]};
    }

    private static long[] parseBig(String s, String what, int bits) {
        try {
            java.math.BigInteger b = s.startsWith("0x") || s.startsWith("0X")
                    ? new java.math.BigInteger(s.substring(2), 16) : new java.math.BigInteger(s);
            if (b.signum() < 0 || b.bitLength() > bits) {
                throw new IllegalArgumentException("failed to parse " + what);
            }
            return new long[] {b.shiftRight(64).longValue(), b.longValue()};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse " + what);
        }
    }

    /** Whether {@code c}'s mark and label match. Guarded by c's home lock. */
    boolean matchesMarkAndLabel(Conn c) {
        if (matchMark && (c.mark & markMask) != mark) {
            return false;
        }
        return !matchLabel || ((c.labelHi & labelMaskHi) == labelHi && (c.labelLo & labelMaskLo) == labelLo);
    }

    /** Whether {@code c} matches every condition. Guarded by c's home lock. */
    boolean matches(Conn c) {
        if (zone >= 0 && c.zone != zone) {
            return false;
        }
        if (!matchesMarkAndLabel(c)) {
            return false;
        }
        int proto = orig != null && orig.proto() >= 0 ? orig.proto() : reply != null ? reply.proto() : -1;
        boolean icmpExact = proto == PacketKey.PROTO_ICMP || proto == PacketKey.PROTO_ICMPV6;
        TuplePattern o = orig == null && icmpExact ? TuplePattern.EMPTY : orig;
        TuplePattern r = reply == null && icmpExact ? TuplePattern.EMPTY : reply;
        if (o != null && !o.matches(c.v6, c.src0, c.src1, c.dst0, c.dst1, c.proto, c.ports, c.icmpId, icmpExact)) {
            return false;
        }
        if (r == null) {
            return true;
        }
        NatInfo n = c.nat;
        if (n != null) {
            return r.matches(c.v6, n.rsrc0, n.rsrc1, n.rdst0, n.rdst1, c.proto, n.rports, n.ricmpId, icmpExact);
        }
        return r.matches(c.v6, c.dst0, c.dst1, c.src0, c.src1, c.proto, (c.ports << 16) | (c.ports >>> 16), c.icmpId,
                icmpExact);
    }
}
