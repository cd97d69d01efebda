package dev.ofswitch.ctactions;

import dev.ofswitch.conntrack.NatRequest;

/**
 * A {@code nat(...)} action ({@code NXAST_NAT}, Nicira subtype 36): source or destination translation to an address
 * range (IPv4 or IPv6) and an optional port range, with the {@code persistent}, {@code hash} and {@code random}
 * flags; or a bare {@code nat}, which applies a connection's existing translation.
 *
 * <pre>
 * nx_action_nat (16 bytes, then optional fields chosen by range_present, then zero padding to a multiple of 8):
 *   type=0xffff(2) len(2) vendor=0x00002320(4) subtype=36(2) pad(2) flags(2) range_present(2)
 *   [ipv4_min(4)] [ipv4_max(4)] [ipv6_min(16)] [ipv6_max(16)] [proto_min(2)] [proto_max(2)]
 * flags:          SRC 0x01, DST 0x02, PERSISTENT 0x04, PROTO_HASH 0x08, PROTO_RANDOM 0x10
 * range_present:  IPV4_MIN 0x01, IPV4_MAX 0x02, IPV6_MIN 0x04, IPV6_MAX 0x08, PROTO_MIN 0x10, PROTO_MAX 0x20
 * </pre>
 *
 * @param flags      NX_NAT_F_* bits
 * @param family     0 (no address range), 4 or 6
 * @param addrMinHi  high 64 bits of the first address (0 for IPv4)
 * @param addrMinLo  low 64 bits of the first address (IPv4 in the low 32 bits)
 * @param addrMaxHi  last address (equal to the first when no max was given)
 * @param addrMaxLo  last address
 * @param portMin    first port, 0 if none
 * @param portMax    last port (equal to the first when no max was given), 0 if none
 */
public record NatSpec(int flags, int family, long addrMinHi, long addrMinLo, long addrMaxHi, long addrMaxLo,
                      int portMin, int portMax) {
    public static final int F_SRC = 0x01;
    public static final int F_DST = 0x02;
    public static final int F_PERSISTENT = 0x04;
    public static final int F_PROTO_HASH = 0x08;
    public static final int F_PROTO_RANDOM = 0x10;

    public static final int RANGE_IPV4_MIN = 0x01;
    public static final int RANGE_IPV4_MAX = 0x02;
    public static final int RANGE_IPV6_MIN = 0x04;
    public static final int RANGE_IPV6_MAX = 0x08;
    public static final int RANGE_PROTO_MIN = 0x10;
    public static final int RANGE_PROTO_MAX = 0x20;

    /** Bare {@code nat}: apply the connection's existing translation, if any. */
    public static final NatSpec BARE = new NatSpec(0, 0, 0, 0, 0, 0, 0, 0);

    /** Whether this is a bare {@code nat} (no flags, no range): the only nat allowed in a ct() without commit. */
    public boolean isBare() {
        return flags == 0 && family == 0;
    }

    /** The engine's form of this action. */
    public NatRequest toRequest() {
        if (isBare()) {
            return NatRequest.BARE;
        }
        return new NatRequest(flags, family, addrMinHi, addrMinLo, addrMaxHi, addrMaxLo, portMin, portMax);
    }

    public boolean isSrc() {
        return (flags & F_SRC) != 0;
    }

    public boolean isDst() {
        return (flags & F_DST) != 0;
    }

    /**
     * Decodes a whole {@code NXAST_NAT} action (from its type field) with OVS's checks
     * ({@code decode_NXAST_RAW_NAT()}): SRC and DST together, HASH and RANDOM together, a max without its min, an
     * IPv4 min of 0.0.0.0, a missing option, a max below its min: all OFPBAC_BAD_ARGUMENT.
     */
    public static NatSpec decode(byte[] a) throws CtWireException {
        if (a.length < 16) {
            throw new CtWireException("OFPBAC_BAD_LEN", "nat action of " + a.length + " bytes");
        }
        int flags = u16(a, 12);
        int present = u16(a, 14);
        if (((flags & F_SRC) != 0 && (flags & F_DST) != 0)
                || ((flags & F_PROTO_HASH) != 0 && (flags & F_PROTO_RANDOM) != 0)) {
            throw bad("nat: conflicting flags 0x" + Integer.toHexString(flags));
        }
        int p = 16;
        int family = 0;
        long minHi = 0;
        long minLo = 0;
        long maxHi = 0;
        long maxLo = 0;
        if ((present & RANGE_IPV4_MIN) != 0) {
            if ((present & (RANGE_IPV6_MIN | RANGE_IPV6_MAX)) != 0) {
                throw bad("nat: both IPv4 and IPv6 ranges");
            }
            if (a.length - p < 4) {
                throw bad("nat: IPv4 min missing");
            }
            minLo = u32(a, p) & 0xffffffffL;
            p += 4;
            if (minLo == 0) {
                throw bad("nat: IPv4 min is 0.0.0.0");
            }
            family = 4;
            maxLo = minLo;
            if ((present & RANGE_IPV4_MAX) != 0) {
                if (a.length - p < 4) {
                    throw bad("nat: IPv4 max missing");
                }
                maxLo = u32(a, p) & 0xffffffffL;
                p += 4;
                if (maxLo < minLo) {
                    throw bad("nat: IPv4 max below min");
                }
            }
        } else if ((present & RANGE_IPV4_MAX) != 0) {
            throw bad("nat: IPv4 max without min");
        } else if ((present & RANGE_IPV6_MIN) != 0) {
            if (a.length - p < 16) {
                throw bad("nat: IPv6 min missing");
            }
            minHi = u64(a, p);
            minLo = u64(a, p + 8);
            p += 16;
            if (minHi == 0 && minLo == 0) {
                throw bad("nat: IPv6 min is ::");
            }
            family = 6;
            maxHi = minHi;
            maxLo = minLo;
            if ((present & RANGE_IPV6_MAX) != 0) {
                if (a.length - p < 16) {
                    throw bad("nat: IPv6 max missing");
                }
                maxHi = u64(a, p);
                maxLo = u64(a, p + 8);
                p += 16;
                if (Long.compareUnsigned(maxHi, minHi) < 0
                        || (maxHi == minHi && Long.compareUnsigned(maxLo, minLo) < 0)) {
                    throw bad("nat: IPv6 max below min");
                }
            }
        } else if ((present & RANGE_IPV6_MAX) != 0) {
            throw bad("nat: IPv6 max without min");
        }
        int portMin = 0;
        int portMax = 0;
        if ((present & RANGE_PROTO_MIN) != 0) {
            if (a.length - p < 2) {
                throw bad("nat: port min missing");
            }
            portMin = u16(a, p);
            p += 2;
            if (portMin == 0) {
                throw bad("nat: port min is 0");
            }
            portMax = portMin;
            if ((present & RANGE_PROTO_MAX) != 0) {
                if (a.length - p < 2) {
                    throw bad("nat: port max missing");
                }
                portMax = u16(a, p);
                if (portMax < portMin) {
                    throw bad("nat: port max below min");
                }
            }
        } else if ((present & RANGE_PROTO_MAX) != 0) {
            throw bad("nat: port max without min");
        }
        return new NatSpec(flags, family, minHi, minLo, maxHi, maxLo, portMin, portMax);
    }

    private static CtWireException bad(String why) {
        return new CtWireException("OFPBAC_BAD_ARGUMENT", why);
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int u32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    static long u64(byte[] b, int i) {
        return ((long) u32(b, i) << 32) | (u32(b, i + 4) & 0xffffffffL);
    }
}
