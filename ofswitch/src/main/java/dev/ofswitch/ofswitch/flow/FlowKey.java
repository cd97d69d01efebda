package dev.ofswitch.ofswitch.flow;

/**
 * The flat flow key: every {@link MatchField} at a fixed place in a {@code long[]} of {@link #WORDS} words, so that a
 * packet key, a match value and a match mask are three arrays of the same shape and a classifier compares them word
 * by word ({@code (packet[i] & mask[i]) == value[i]}).
 *
 * <h2>Layout</h2>
 * Bit 0 is the least significant bit of a word. Fields that OVS keeps in one {@code struct flow} member share bits
 * (see {@link MatchField}); the second column lists every view.
 * <pre>
 * word                 bits      field(s)
 * 0  W_L2_L3           0..15     in_port, in_port_oxm (OVS 16-bit port number)
 *                      16..31    eth_type
 *                      32..47    vlan_tci; vlan_vid = 32..44 (VID + CFI/present), vlan_pcp = 45..47
 *                      48..55    nw_proto = ip_proto = arp_op
 *                      56..63    TOS byte: ip_ecn = 56..57, ip_dscp / nw_tos = 58..63
 * 1  W_METADATA        0..63     metadata
 * 2  W_ETH_DST_TTL_FRAG 0..47    eth_dst;  48..55 nw_ttl;  56..57 ip_frag
 * 3  W_CT_STATE_ETH_SRC 0..47    eth_src;  48..55 ct_state (the 8 defined bits);  56..63 ct_nw_proto
 * 4  W_NW_ADDR         0..31     ip_dst = arp_tpa;  32..63 ip_src = arp_spa
 * 5  W_TP              0..15     tp_src = tcp_src = udp_src = sctp_src; icmp_type / icmpv6_type = 0..7
 *                      16..31    tp_dst = tcp_dst = udp_dst = sctp_dst; icmp_code / icmpv6_code = 16..23
 *                      32..43    tcp_flags;  48..63 ct_zone
 * 6  W_MARKS           0..31     ct_mark;  32..63 pkt_mark
 * 7  W_CT_NW           0..31     ct_nw_dst;  32..63 ct_nw_src
 * 8  W_CT_TP_MPLS      0..15     ct_tp_src;  16..31 ct_tp_dst;  32..51 mpls_label;  52..54 mpls_tc;  55 mpls_bos
 * 9  W_LABEL_TUN_SRC   0..19     ipv6_label;  32..63 tun_src
 * 10 W_TUN_DST         0..31     tun_dst;  32..63 conj_id
 * 11 W_TUN_ID          0..63     tun_id
 * 12,13 W_IPV6_SRC     128       ipv6_src (word 12 = high 64 bits)
 * 14,15 W_IPV6_DST     128       ipv6_dst
 * 16,17 W_ND_TARGET    128       nd_target
 * 18 W_SHA             0..47     arp_sha = nd_sll
 * 19 W_THA             0..47     arp_tha = nd_tll
 * 20,21 W_CT_LABEL     128       ct_label
 * 22,23 W_CT_IPV6_SRC  128       ct_ipv6_src
 * 24,25 W_CT_IPV6_DST  128       ct_ipv6_dst
 * 26..33 W_XREG0..7    0..63     xregN;  reg(2N) = 32..63, reg(2N+1) = 0..31
 * </pre>
 *
 * <h2>Values</h2>
 * Accessors speak the field's wire value (what an OXM carries), converting where the storage differs:
 * {@code in_port_oxm} is converted between 32-bit OpenFlow 1.1+ numbering and the stored 16-bit number
 * ({@code 0xfffffffe} ↔ {@code 0xfffe}); {@code nw_tos} reads and writes the TOS byte with the ECN bits clear.
 * Values wider than the storage ({@code ct_state}'s 32 wire bits, {@code arp_op}'s 16) lose their high bits: callers
 * validate with {@link MatchField#isValueValid(long)} first, as OVS does. Masks use the same layout, and a mask bit
 * the storage cannot hold is dropped, as OVS truncates the {@code ct_state} mask to 8 bits.
 *
 * <p>All methods are static, allocation-free and thread-compatible: the arrays belong to the caller.
 */
public final class FlowKey {
    /** Number of words in a key, value or mask array. */
    public static final int WORDS = 34;

    /** in_port, eth_type, vlan_tci, nw_proto, TOS. */
    public static final int W_L2_L3 = 0;
    /** metadata. */
    public static final int W_METADATA = 1;
    /** eth_dst, nw_ttl, ip_frag. */
    public static final int W_ETH_DST_TTL_FRAG = 2;
    /** eth_src, ct_state, ct_nw_proto. */
    public static final int W_CT_STATE_ETH_SRC = 3;
    /** ip_src/arp_spa, ip_dst/arp_tpa. */
    public static final int W_NW_ADDR = 4;
    /** transport ports, ICMP type/code, tcp_flags, ct_zone. */
    public static final int W_TP = 5;
    /** ct_mark, pkt_mark. */
    public static final int W_MARKS = 6;
    /** ct_nw_src, ct_nw_dst. */
    public static final int W_CT_NW = 7;
    /** ct_tp_src, ct_tp_dst, MPLS label/tc/bos. */
    public static final int W_CT_TP_MPLS = 8;
    /** ipv6_label, tun_src. */
    public static final int W_LABEL_TUN_SRC = 9;
    /** tun_dst. */
    public static final int W_TUN_DST = 10;
    /** tun_id. */
    public static final int W_TUN_ID = 11;
    /** ipv6_src, two words. */
    public static final int W_IPV6_SRC = 12;
    /** ipv6_dst, two words. */
    public static final int W_IPV6_DST = 14;
    /** nd_target, two words. */
    public static final int W_ND_TARGET = 16;
    /** arp_sha / nd_sll. */
    public static final int W_SHA = 18;
    /** arp_tha / nd_tll. */
    public static final int W_THA = 19;
    /** ct_label, two words. */
    public static final int W_CT_LABEL = 20;
    /** ct_ipv6_src, two words. */
    public static final int W_CT_IPV6_SRC = 22;
    /** ct_ipv6_dst, two words. */
    public static final int W_CT_IPV6_DST = 24;
    /** conj_id's bit offset in {@link #W_TUN_DST}. */
    public static final int CONJ_ID_SHIFT = 32;
    /** xreg0 (reg0:reg1); xregN is at W_XREG0 + N. */
    public static final int W_XREG0 = 26;

    private FlowKey() {
    }

    /** A new all-zero key (or value, or mask) array. */
    public static long[] newKey() {
        return new long[WORDS];
    }

    /**
     * Reads field {@code f} (≤ 64 bits) from {@code key}, as its wire value.
     *
     * @throws IllegalArgumentException for 128-bit fields (use {@link #getHigh}/{@link #getLow}) and unsupported ones
     */
    public static long get(long[] key, MatchField f) {
        long raw = (key[checkNarrow(f)] & f.wordMask) >>> f.shift;
        switch (f.conv) {
            case PORT32:
                return MatchField.portToOfp11((int) raw);
            case DSCP_IN_TOS:
                return raw << 2;
            default:
                return raw;
        }
    }

    /** Writes field {@code f} (≤ 64 bits) into {@code key}, leaving every other bit alone. */
    public static void set(long[] key, MatchField f, long value) {
        int w = checkNarrow(f);
        long raw = toStorage(f, value);
        key[w] = (key[w] & ~f.wordMask) | ((raw << f.shift) & f.wordMask);
    }

    /**
     * Writes {@code value} under {@code mask} into a match held as {@code values}/{@code masks}: the field's mask bits
     * become {@code mask} and its value bits {@code value & mask}, as OVS's {@code mf_set()} (a match's value is
     * always masked).
     */
    public static void setMasked(long[] values, long[] masks, MatchField f, long value, long mask) {
        set(masks, f, f.conv == MatchField.Conv.PORT32 ? maskPort32(mask) : mask);
        int w = f.word;
        set(values, f, value);
        values[w] &= masks[w] | ~f.wordMask;
    }

    /** Whether the mask array says nothing about {@code f}: all of its storage bits are 0 (OVS mf_is_all_wild()). */
    public static boolean isWild(long[] masks, MatchField f) {
        if (!f.isSupported()) {
            return true;
        }
        if (f.isWide()) {
            return masks[f.word] == 0 && masks[f.word + 1] == 0;
        }
        return (masks[f.word] & f.wordMask) == 0;
    }

    /** Whether the mask array matches {@code f} exactly: all of its storage bits are 1. */
    public static boolean isExact(long[] masks, MatchField f) {
        if (f.isWide()) {
            return masks[f.word] == -1L && masks[f.word + 1] == -1L;
        }
        return (masks[f.word] & f.wordMask) == f.wordMask;
    }

    /** The high 64 bits of a 128-bit field. */
    public static long getHigh(long[] key, MatchField f) {
        return key[checkWide(f)];
    }

    /** The low 64 bits of a 128-bit field. */
    public static long getLow(long[] key, MatchField f) {
        return key[checkWide(f) + 1];
    }

    /** Writes a 128-bit field. */
    public static void setWide(long[] key, MatchField f, long high, long low) {
        int w = checkWide(f);
        key[w] = high;
        key[w + 1] = low;
    }

    /**
     * Reads any field as its {@link MatchField#nBytes()}-byte big-endian wire value into {@code dst} at {@code off}.
     */
    public static void getBytes(long[] key, MatchField f, byte[] dst, int off) {
        if (f.isWide()) {
            putLong(dst, off, key[f.word]);
            putLong(dst, off + 8, key[f.word + 1]);
            return;
        }
        long v = get(key, f);
        for (int i = f.nBytes() - 1; i >= 0; i--) {
            dst[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** Writes any field from its big-endian wire value ({@link MatchField#nBytes()} bytes at {@code off}). */
    public static void setBytes(long[] key, MatchField f, byte[] src, int off) {
        if (f.isWide()) {
            key[f.word] = readLong(src, off);
            key[f.word + 1] = readLong(src, off + 8);
            return;
        }
        set(key, f, readValue(src, off, f.nBytes()));
    }

    /**
     * Writes a masked value of any width into a match ({@code values}/{@code masks}); {@code mask} null means exact.
     * Both arrays hold {@link MatchField#nBytes()} big-endian bytes at {@code off}.
     */
    public static void setMaskedBytes(long[] values, long[] masks, MatchField f, byte[] value, byte[] mask, int off) {
        if (f.isWide()) {
            long mh = mask == null ? -1L : readLong(mask, off);
            long ml = mask == null ? -1L : readLong(mask, off + 8);
            masks[f.word] = mh;
            masks[f.word + 1] = ml;
            values[f.word] = readLong(value, off) & mh;
            values[f.word + 1] = readLong(value, off + 8) & ml;
            return;
        }
        long m = mask == null ? allOnes(f) : readValue(mask, off, f.nBytes());
        setMasked(values, masks, f, readValue(value, off, f.nBytes()), m);
    }

    /** The all-ones wire mask of a ≤ 64-bit field: {@link MatchField#nBytes()} bytes of 0xff. */
    public static long allOnes(MatchField f) {
        return f.nBytes() >= 8 ? -1L : (1L << (8 * f.nBytes())) - 1;
    }

    /** Big-endian unsigned value of {@code n} ≤ 8 bytes. */
    public static long readValue(byte[] src, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (src[off + i] & 0xff);
        }
        return v;
    }

    private static long readLong(byte[] src, int off) {
        return readValue(src, off, 8);
    }

    private static void putLong(byte[] dst, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            dst[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long toStorage(MatchField f, long value) {
        switch (f.conv) {
            case PORT32: {
                int p = MatchField.portFromOfp11(value);
                return p < 0 ? 0 : p;
            }
            case DSCP_IN_TOS:
                return value >>> 2;
            default:
                return value;
        }
    }

    /** A 32-bit in_port mask becomes a 16-bit one: OVS only matches in_port exactly (all ones) or not at all. */
    private static long maskPort32(long mask) {
        return (mask & 0xffffffffL) == 0 ? 0 : MatchField.portToOfp11(0xffff);
    }

    private static int checkNarrow(MatchField f) {
        if (f.isWide() || !f.isSupported()) {
            throw new IllegalArgumentException(f + " is not a ≤ 64-bit stored field");
        }
        return f.word;
    }

    private static int checkWide(MatchField f) {
        if (!f.isWide()) {
            throw new IllegalArgumentException(f + " is not a 128-bit field");
        }
        return f.word;
    }
}
