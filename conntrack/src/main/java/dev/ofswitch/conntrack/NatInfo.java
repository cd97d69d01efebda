package dev.ofswitch.conntrack;

/**
 * The translation of a NATed connection: which side is translated and the reply-direction key, which then differs
 * from the reverse of the original key. Set once, before the connection is published; immutable after.
 *
 * <p>The reply key has its own hash and lives in the bucket of that hash as an alias entry ({@code Bucket.REV}),
 * usually not the connection's home bucket.
 */
final class NatInfo {
    /** {@link NatRequest#F_SRC} or {@link NatRequest#F_DST}. */
    final int action;
    final long rsrc0;
    final long rsrc1;
    final long rdst0;
    final long rdst1;
    /** {@code src << 16 | dst}, as in {@link PacketKey#ports}. */
    final int rports;
    final int ricmpId;
    /** Symmetric hash of the reply key. */
    final int rhash;
    /** The bucket holding the reply key's alias entry. */
    final Bucket revBucket;

    NatInfo(int action, long rsrc0, long rsrc1, long rdst0, long rdst1, int rports, int ricmpId, int rhash,
            Bucket revBucket) {
        this.action = action;
        this.rsrc0 = rsrc0;
        this.rsrc1 = rsrc1;
        this.rdst0 = rdst0;
        this.rdst1 = rdst1;
        this.rports = rports;
        this.ricmpId = ricmpId;
        this.rhash = rhash;
        this.revBucket = revBucket;
    }

    /** Whether {@code k} is this connection's (translated) reply key. */
    boolean matches(PacketKey k, Conn c) {
        return k.src1 == rsrc1 && k.dst1 == rdst1 && k.ports == rports && k.src0 == rsrc0 && k.dst0 == rdst0
                && k.icmpId == ricmpId && k.proto == c.proto && k.zone == c.zone && k.v6 == c.v6;
    }
}
