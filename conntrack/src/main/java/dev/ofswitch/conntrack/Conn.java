package dev.ofswitch.conntrack;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.ofswitch.conntrack.tcp.TcpPeer;

/**
 * One tracked connection (OVS's {@code struct conn}).
 *
 * <h2>Thread-safety</h2> The key, zone, protocol, policy, helper and home bucket are immutable. Everything else is
 * guarded by the lock of the {@link #home} bucket: the L4 state, mark, label, expiration, expiry-list links and
 * {@link #dead}. A {@code Conn} found through a bucket that is not its home (the alias entry of a NAT reply key) is
 * only used under its home lock as well, where {@link #dead} says whether it was deleted meanwhile. References held in
 * packet metadata ({@code CtMetadata.conn}) outlive deletion harmlessly: the garbage collector plays the part of
 * OVS's RCU.
 */
final class Conn {
    // ---- Immutable after construction: the original-direction key. ----
    final long src0;
    final long src1;
    final long dst0;
    final long dst1;
    /** {@code src << 16 | dst}: TCP/UDP ports, or ICMP {@code type << 8 | code} per side. */
    final int ports;
    final int icmpId;
    final int proto;
    final boolean v6;
    final int zone;
    /** Symmetric hash of the key (see {@link PacketKey#hash()}). */
    final int hash;
    /** The bucket that owns this connection: its lock guards the mutable fields. */
    final Bucket home;
    /** The timeout policy of the zone when the connection was committed. */
    final ResolvedPolicy policy;
    /** ALG helper named at commit ({@code ftp}, {@code tftp}), or null. Recorded and dumped. */
    final String helper;
    /** TCP peers, or null for other protocols. Guarded by {@code home}'s lock. */
    final TcpPeer tcpOrig;
    final TcpPeer tcpReply;
    /** The zone limit that counted this connection, or null; its count is given back on deletion. */
    final ZoneLimit admit;

    // ---- Guarded by home's lock. ----
    /** UDP/other: {@link #OTHER_FIRST}...; ICMP: {@link #ICMP_FIRST}, {@link #ICMP_REPLY}. Unused for TCP. */
    @GuardedBy("home") byte l4State;
    @GuardedBy("home") int mark;
    @GuardedBy("home") long labelHi;
    @GuardedBy("home") long labelLo;
    /**
     * When the connection expires: the time of the last packet that updated it plus the timeout of the state that
     * packet left it in. Compared by subtraction (clock values may wrap).
     */
    @GuardedBy("home") long expiresAtNanos;
    /** Expiry list this connection is on (a {@link TimeoutClasses} class), and its neighbours there. */
    @GuardedBy("home") int listClass;
    @GuardedBy("home") Conn prev;
    @GuardedBy("home") Conn next;
    /** Neighbours on the home bucket's list of this zone's connections (see {@code Bucket.zoneLists}). */
    @GuardedBy("home") Conn zonePrev;
    @GuardedBy("home") Conn zoneNext;
    /**
     * Set when the connection is deleted (under the home lock); it stays set. Volatile so that a thread holding only
     * the bucket of a NAT alias can see that the alias is stale.
     */
    volatile boolean dead;
    /** The connection's translation, or null. Written before the connection is published, then never. */
    NatInfo nat;

    static final byte OTHER_FIRST = 0;
    static final byte OTHER_MULTIPLE = 1;
    static final byte OTHER_BIDIR = 2;
    static final byte ICMP_FIRST = 0;
    static final byte ICMP_REPLY = 1;

    Conn(PacketKey k, Bucket home, ResolvedPolicy policy, String helper, ZoneLimit admit) {
        this.src0 = k.src0;
        this.src1 = k.src1;
        this.dst0 = k.dst0;
        this.dst1 = k.dst1;
        this.ports = k.ports;
        this.icmpId = k.icmpId;
        this.proto = k.proto;
        this.v6 = k.v6;
        this.zone = k.zone;
        this.hash = k.hash;
        this.home = home;
        this.policy = policy;
        this.helper = helper;
        this.admit = admit;
        if (k.proto == PacketKey.PROTO_TCP) {
            this.tcpOrig = new TcpPeer();
            this.tcpReply = new TcpPeer();
        } else {
            this.tcpOrig = null;
            this.tcpReply = null;
        }
    }

    /** Whether {@code k} is this connection's original-direction key. */
    boolean matchesOrig(PacketKey k) {
        return k.src1 == src1 && k.dst1 == dst1 && k.ports == ports && k.src0 == src0 && k.dst0 == dst0
                && k.proto == proto && k.zone == zone && k.icmpId == icmpId && k.v6 == v6;
    }

    /** Whether {@code k} is the reverse of the original key, i.e. the reply direction of an un-NATed connection. */
    boolean matchesReply(PacketKey k) {
        return k.src1 == dst1 && k.dst1 == src1 && k.ports == ((ports << 16) | (ports >>> 16)) && k.src0 == dst0
                && k.dst0 == src0 && k.proto == proto && k.zone == zone && k.icmpId == icmpId && k.v6 == v6;
    }

    /** Whether the connection has expired at {@code nowNanos}. */
    @GuardedBy("home")
    boolean expired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }
}
