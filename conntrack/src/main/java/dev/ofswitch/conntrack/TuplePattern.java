package dev.ofswitch.conntrack;

/**
 * A possibly partial connection tuple, as {@code dpctl/flush-conntrack} and {@code ovs-ofctl ct-flush} take it:
 * {@code ct_nw_src=A,ct_nw_dst=B,ct_nw_proto=P,ct_tp_src=X,ct_tp_dst=Y} (or {@code ct_ipv6_src/dst}, and
 * {@code icmp_id}, {@code icmp_type}, {@code icmp_code}). Fields that are not given match anything. Immutable.
 */
public final class TuplePattern {
    private static final int SRC = 1;
    private static final int DST = 2;
    private static final int PROTO = 4;
    private static final int TP_SRC = 8;
    private static final int TP_DST = 16;
    private static final int ICMP_ID = 32;
    private static final int ICMP_TYPE = 64;
    private static final int ICMP_CODE = 128;

    /** The pattern with nothing set. */
    static final TuplePattern EMPTY = new TuplePattern(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private final int present;
    /** 0 until an address sets it, then 4 or 6. */
    private final int family;
    private final long src0;
    private final long src1;
    private final long dst0;
    private final long dst1;
    private final int proto;
    private final int tpSrc;
    private final int tpDst;
    private final int icmpId;
    private final int icmpType;
    private final int icmpCode;

    private TuplePattern(int present, int family, long src0, long src1, long dst0, long dst1, int proto, int tpSrc,
                         int tpDst, int icmpId, int icmpType, int icmpCode) {
        this.present = present;
        this.family = family;
        this.src0 = src0;
        this.src1 = src1;
        this.dst0 = dst0;
        this.dst1 = dst1;
        this.proto = proto;
        this.tpSrc = tpSrc;
        this.tpDst = tpDst;
        this.icmpId = icmpId;
        this.icmpType = icmpType;
        this.icmpCode = icmpCode;
    }

    /**
     * Parses a tuple in OVS's syntax. Error messages are OVS's ({@code lib/ofp-ct.c}), as OVS 3.1's
     * {@code dpctl/flush-conntrack} prints them. A repeated protocol or port is accepted, the last one wins.
     *
     * @throws IllegalArgumentException with the message OVS prints
     */
    public static TuplePattern parse(String s) {
        return parse(s, null);
    }

    /**
     * Parses the second tuple of a command: OVS's {@code ofp_ct_match_parse()} shares one protocol and one address
     * family between the original and the reply tuple, so the reply tuple starts with {@code earlier}'s (which may
     * be null) and may give ports without repeating the protocol.
     */
    public static TuplePattern parse(String s, TuplePattern earlier) {
        int present = earlier != null ? earlier.present & PROTO : 0;
        int family = earlier != null ? earlier.family : 0;
        long src0 = 0;
        long src1 = 0;
        long dst0 = 0;
        long dst1 = 0;
        int proto = earlier != null ? earlier.proto : 0;
        int tpSrc = 0;
        int tpDst = 0;
        int icmpId = 0;
        int icmpType = 0;
        int icmpCode = 0;
        long[] v6 = new long[2];
        for (String pair : s.split(",")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("field " + key + " missing value");
            }
            switch (key) {
                case "ct_nw_src":
                case "ct_nw_dst": {
                    if (family == 6) {
                        throw new IllegalArgumentException("the L3 protocol does not match " + value);
                    }
                    if ((present & (key.equals("ct_nw_src") ? SRC : DST)) != 0) {
                        throw new IllegalArgumentException(key + " is set multiple times");
                    }
                    family = 4;
                    long a = Addresses.parseIpv4(value);
                    if (a < 0) {
                        throw new IllegalArgumentException("failed to parse field " + key);
                    }
                    if (key.equals("ct_nw_src")) {
                        src1 = a;
                        present |= SRC;
                    } else {
                        dst1 = a;
                        present |= DST;
                    }
                    break;
                }
                case "ct_ipv6_src":
                case "ct_ipv6_dst": {
                    if (family == 4) {
                        throw new IllegalArgumentException("the L3 protocol does not match " + value);
                    }
                    if ((present & (key.equals("ct_ipv6_src") ? SRC : DST)) != 0) {
                        throw new IllegalArgumentException(key + " is set multiple times");
                    }
                    family = 6;
                    if (!Addresses.parseIpv6(value, v6)) {
                        throw new IllegalArgumentException("failed to parse field " + key);
                    }
                    if (key.equals("ct_ipv6_src")) {
                        src0 = v6[0];
                        src1 = v6[1];
                        present |= SRC;
                    } else {
                        dst0 = v6[0];
                        dst1 = v6[1];
                        present |= DST;
                    }
                    break;
                }
                case "ct_nw_proto":
                    proto = parseUnsigned(value, key, 0xff);
                    present |= PROTO;
                    break;
                case "ct_tp_src":
                    tpSrc = parseUnsigned(value, key, 0xffff);
                    present |= TP_SRC;
                    break;
                case "ct_tp_dst":
                    tpDst = parseUnsigned(value, key, 0xffff);
                    present |= TP_DST;
                    break;
                case "icmp_type":
                case "icmp_code":
                case "icmp_id":
                    if (proto != PacketKey.PROTO_ICMP && proto != PacketKey.PROTO_ICMPV6) {
                        throw new IllegalArgumentException("invalid L4 fields");
                    }
                    if (key.equals("icmp_type")) {
                        icmpType = parseUnsigned(value, key, 0xff);
                        present |= ICMP_TYPE;
                    } else if (key.equals("icmp_code")) {
                        icmpCode = parseUnsigned(value, key, 0xff);
                        present |= ICMP_CODE;
                    } else {
                        icmpId = parseUnsigned(value, key, 0xffff);
                        present |= ICMP_ID;
                    }
                    break;
                default:
                    throw new IllegalArgumentException("invalid conntrack tuple field: " + key);
            }
        }
        if (proto == 0 && (tpSrc != 0 || tpDst != 0)) {
            throw new IllegalArgumentException("port is set without protocol");
        }
        return new TuplePattern(present, family, src0, src1, dst0, dst1, proto, tpSrc, tpDst, icmpId, icmpType,
                icmpCode);
    }

    private static int parseUnsigned(String value, String key, int max) {
        try {
            long v;
            if (value.startsWith("0x") || value.startsWith("0X")) {
                v = Long.parseLong(value.substring(2), 16);
            } else {
                v = Long.parseLong(value);
            }
            if (v < 0 || v > max) {
                throw new IllegalArgumentException("failed to parse field " + key);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse field " + key);
        }
    }

    /** This pattern with {@code proto} as its protocol (the reply tuple of a command set the shared one). */
    TuplePattern withProto(int newProto) {
        return new TuplePattern(present | PROTO, family, src0, src1, dst0, dst1, newProto, tpSrc, tpDst, icmpId,
                icmpType, icmpCode);
    }

    /** Whether this pattern has nothing set. */
    public boolean isEmpty() {
        return present == 0;
    }

    /**
     * Whether the pattern names one connection exactly: both addresses and the protocol, plus both ports unless the
     * protocol is ICMP (upstream OVS {@code ofp_ct_tuple_is_five_tuple()}).
     */
    public boolean isFiveTuple() {
        if ((present & (SRC | DST | PROTO)) != (SRC | DST | PROTO)) {
            return false;
        }
        boolean icmp = proto == PacketKey.PROTO_ICMP || proto == PacketKey.PROTO_ICMPV6;
        return icmp || (present & (TP_SRC | TP_DST)) == (TP_SRC | TP_DST);
    }

    /** The protocol, or -1 if not given. */
    public int proto() {
        return (present & PROTO) != 0 ? proto : -1;
    }

    /**
     * Whether a tuple with these fields matches. {@code ports} is {@code src << 16 | dst}: TCP/UDP ports, or ICMP
     * {@code type << 8 | code} per side. With {@code icmpExact} (the filter names ICMP or ICMPv6) the identifier, type
     * and code of an ICMP tuple are compared even when not given, as 0 ({@code ct_dpif_tuple_ip_cmp_partial()}).
     */
    boolean matches(boolean v6, long s0, long s1, long d0, long d1, int tupleProto, int ports, int id,
                    boolean icmpExact) {
        if (family != 0 && (family == 6) != v6) {
            return false;
        }
        if ((present & SRC) != 0 && (s0 != src0 || s1 != src1)) {
            return false;
        }
        if ((present & DST) != 0 && (d0 != dst0 || d1 != dst1)) {
            return false;
        }
        if ((present & PROTO) != 0 && tupleProto != proto) {
            return false;
        }
        // By protocol number alone, as OVS: ICMP over IPv6 has no L4 key, so its identifier, type and code are 0.
        boolean icmp = tupleProto == PacketKey.PROTO_ICMP || tupleProto == PacketKey.PROTO_ICMPV6;
        if (icmp) {
            if (icmpExact) {
                return id == icmpId && (ports >>> 24) == icmpType && ((ports >>> 16) & 0xff) == icmpCode;
            }
            if ((present & ICMP_ID) != 0 && id != icmpId) {
                return false;
            }
            if ((present & ICMP_TYPE) != 0 && (ports >>> 24) != icmpType) {
                return false;
            }
            return (present & ICMP_CODE) == 0 || ((ports >>> 16) & 0xff) == icmpCode;
        }
        if ((present & TP_SRC) != 0 && (ports >>> 16) != tpSrc) {
            return false;
        }
        return (present & TP_DST) == 0 || (ports & 0xffff) == tpDst;
    }

    /** Fills {@code k} with this (five-)tuple for an exact lookup in {@code zone}. */
    void toKey(PacketKey k, int zone) {
        k.v6 = family == 6;
        k.src0 = src0;
        k.src1 = src1;
        k.dst0 = dst0;
        k.dst1 = dst1;
        k.proto = proto;
        k.zone = zone;
        boolean icmp = proto == PacketKey.PROTO_ICMP || proto == PacketKey.PROTO_ICMPV6;
        if (icmp) {
            int revType = proto == PacketKey.PROTO_ICMP ? PacketKey.reverseIcmp4Type(icmpType)
                    : icmpType == 128 ? 129 : icmpType == 129 ? 128 : icmpType;
            k.ports = (((icmpType << 8) | icmpCode) << 16) | (revType << 8);
            k.icmpId = icmpId;
        } else {
            k.ports = (tpSrc << 16) | tpDst;
            k.icmpId = 0;
        }
        k.hash = k.hash();
    }
}
