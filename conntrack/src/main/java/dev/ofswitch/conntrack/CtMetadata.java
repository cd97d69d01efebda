package dev.ofswitch.conntrack;

/**
 * The conntrack metadata a packet carries through the pipeline (OVS's {@code pkt_metadata} ct fields): what a
 * {@code ct()} produced and the next {@code ct()} of the same packet reads.
 *
 * <p>Outputs: {@link #state()} (the {@link CtState} bits), {@link #zone()}, {@link #mark()}, the 128-bit label, the
 * original-direction tuple of the connection ({@link #hasTuple()}, {@link #tupleProto()}, ...) and a handle to the
 * connection. The handle is OVS's cached {@code md.conn}: a later {@code ct()} of the same packet in the same zone
 * (without {@code force}) reuses it without a lookup, without updating the connection's state and without re-arming
 * its timer, exactly as OVS's {@code process_one_fast()} does.
 *
 * <p>A {@code CtMetadata} also carries the scratch space the tracker parses the packet into, so that tracking
 * allocates nothing. Reuse one instance per packet in flight.
 *
 * <h2>Thread-safety</h2> Confined to the thread that processes the packet.
 */
public final class CtMetadata {
    int state;
    int zone;
    int mark;
    long labelHi;
    long labelLo;

    /** 0 if there is no tuple, else 4 or 6. */
    int tupleFamily;
    int tupleProto;
    long tupleSrc0;
    long tupleSrc1;
    long tupleDst0;
    long tupleDst1;
    int tupleTpSrc;
    int tupleTpDst;

    /** OVS {@code md.conn}, {@code md.reply}, {@code md.icmp_related}. */
    Conn conn;
    boolean reply;
    boolean icmpRelated;

    /** Parse scratch; its contents are meaningless between calls. */
    final PacketKey key = new PacketKey();
    /** Second key scratch: a NAT candidate, or the key rebuilt from the original tuple. */
    final PacketKey key2 = new PacketKey();
    /** The bucket locks of the current operation. */
    final LockSet locks = new LockSet();
    /** Set under the locks when the packet must be translated once they are released; null otherwise. */
    Conn natPending;
    boolean natPendingReply;
    /** Set by ConnTracker.executeBatch between its parse and its processing of this packet. */
    boolean batchParsed;
    /** ConnTracker.executeBatch's prefetch scratch: a connection to touch. */
    Conn prefetched;

    /** The {@link CtState} bits; 0 when untracked. */
    public int state() {
        return state;
    }

    public int zone() {
        return zone;
    }

    public int mark() {
        return mark;
    }

    /** The high 64 bits of the 128-bit ct_label. */
    public long labelHi() {
        return labelHi;
    }

    /** The low 64 bits of the 128-bit ct_label. */
    public long labelLo() {
        return labelLo;
    }

    /** Whether the original-direction tuple fields are set. */
    public boolean hasTuple() {
        return tupleFamily != 0;
    }

    /** Whether the tuple is IPv6 (ct_ipv6_src/dst) rather than IPv4 (ct_nw_src/dst). */
    public boolean tupleIsIpv6() {
        return tupleFamily == 6;
    }

    /** {@code ct_nw_proto}. */
    public int tupleProto() {
        return tupleProto;
    }

    /** {@code ct_nw_src} (IPv4, low 32 bits). */
    public int tupleIpv4Src() {
        return (int) tupleSrc1;
    }

    /** {@code ct_nw_dst} (IPv4, low 32 bits). */
    public int tupleIpv4Dst() {
        return (int) tupleDst1;
    }

    /** {@code ct_ipv6_src}, high 64 bits. */
    public long tupleIpv6SrcHi() {
        return tupleSrc0;
    }

    /** {@code ct_ipv6_src}, low 64 bits. */
    public long tupleIpv6SrcLo() {
        return tupleSrc1;
    }

    public long tupleIpv6DstHi() {
        return tupleDst0;
    }

    public long tupleIpv6DstLo() {
        return tupleDst1;
    }

    /** {@code ct_tp_src}: the source port, or for ICMP the type. */
    public int tupleTpSrc() {
        return tupleTpSrc;
    }

    /** {@code ct_tp_dst}: the destination port, or for ICMP the code. */
    public int tupleTpDst() {
        return tupleTpDst;
    }

    /** Whether the last {@code ct()} left a connection cached for the next one. */
    public boolean hasConnection() {
        return conn != null;
    }

    /**
     * {@code ct_clear}: untracked, every ct field zero, no cached connection (OVS {@code conntrack_clear()} and the
     * translation's {@code clear_conntrack()}).
     */
    public void clear() {
        state = 0;
        zone = 0;
        mark = 0;
        labelHi = 0;
        labelLo = 0;
        tupleFamily = 0;
        tupleProto = 0;
        tupleSrc0 = 0;
        tupleSrc1 = 0;
        tupleDst0 = 0;
        tupleDst1 = 0;
        tupleTpSrc = 0;
        tupleTpDst = 0;
        conn = null;
        reply = false;
        icmpRelated = false;
    }

    /** Copies every field of {@code other} (not the scratch), e.g. when a packet is cloned. */
    public void copyFrom(CtMetadata other) {
        state = other.state;
        zone = other.zone;
        mark = other.mark;
        labelHi = other.labelHi;
        labelLo = other.labelLo;
        tupleFamily = other.tupleFamily;
        tupleProto = other.tupleProto;
        tupleSrc0 = other.tupleSrc0;
        tupleSrc1 = other.tupleSrc1;
        tupleDst0 = other.tupleDst0;
        tupleDst1 = other.tupleDst1;
        tupleTpSrc = other.tupleTpSrc;
        tupleTpDst = other.tupleTpDst;
        conn = other.conn;
        reply = other.reply;
        icmpRelated = other.icmpRelated;
    }

    /** Sets the state bits directly (the pipeline's view after an untracked pass, tests). */
    public void setState(int state) {
        this.state = state;
    }

    /** Forgets the cached connection, forcing the next {@code ct()} to look the packet up. */
    public void forgetConnection() {
        conn = null;
    }

    @Override
    public String toString() {
        return "CtMetadata{state=" + CtState.format(state) + ", zone=" + zone + ", mark=" + mark + ", label=0x"
                + Long.toHexString(labelHi) + String.format("%016x", labelLo) + "}";
    }
}
