package dev.ofswitch.conntrack;

/**
 * What a {@code ct(...,nat(...))} asks of the tracker: source or destination translation to an address range and an
 * optional port range (for ICMP echo, the identifier plays the port's part), or, bare, "apply the connection's
 * existing translation". Immutable.
 *
 * @param flags     {@link #F_SRC}, {@link #F_DST}, {@link #F_PERSISTENT}, {@link #F_HASH}, {@link #F_RANDOM}
 * @param family    4 or 6 when a range is given, 0 for none (keep the address, translate ports only)
 * @param minHi     first address, high 64 bits (0 for IPv4)
 * @param minLo     first address, low 64 bits (IPv4: the low 32)
 * @param maxHi     last address, high 64 bits
 * @param maxLo     last address, low 64 bits
 * @param portMin   first port, 0 for no port range
 * @param portMax   last port
 */
public record NatRequest(int flags, int family, long minHi, long minLo, long maxHi, long maxLo, int portMin,
                         int portMax) {
    /** Translate the source (SNAT). */
    public static final int F_SRC = 0x01;
    /** Translate the destination (DNAT). */
    public static final int F_DST = 0x02;
    /** Pick the address from the source address only, so a client keeps its address. */
    public static final int F_PERSISTENT = 0x04;
    /** Start the port search at a hash of the tuple (the default). */
    public static final int F_HASH = 0x08;
    /** Start the port search at a random port. */
    public static final int F_RANDOM = 0x10;

    /** {@code nat} without arguments. */
    public static final NatRequest BARE = new NatRequest(0, 0, 0, 0, 0, 0, 0, 0);

    /** Whether this asks for no new translation (no SRC or DST). */
    public boolean isBare() {
        return (flags & (F_SRC | F_DST)) == 0;
    }

    public boolean isSrc() {
        return (flags & F_SRC) != 0;
    }
}
