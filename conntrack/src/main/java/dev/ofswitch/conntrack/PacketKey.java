package dev.ofswitch.conntrack;

/**
 * The connection key of one packet, extracted from its Ethernet frame: OVS's {@code conn_key} plus the offsets the
 * trackers need. One instance is reused for every packet that a {@link CtMetadata} carries, so parsing allocates
 * nothing.
 *
 * <h2>Key layout</h2> Addresses are two longs each (IPv6 high and low halves; IPv4 in the low 32 bits of {@code *1}
 * with {@code *0} zero). {@link #ports} is {@code src << 16 | dst} where a port is the TCP/UDP port, or for ICMP the
 * {@code type << 8 | code} of that side (the reply side carries the reply type: echo 8 goes with 0), so reversing a key
 * is swapping halves. {@link #icmpId} is the echo identifier (0 otherwise). Other IP protocols have no ports.
 *
 * <h2>What extraction checks</h2> As OVS's {@code conn_key_extract()} and friends: IPv4 header length, version, total
 * length, header checksum, not a fragment; IPv6 payload length and extension headers (a fragment fails, an atomic
 * fragment header is skipped); TCP data offset and checksum; UDP length and checksum (over the whole IP payload; a
 * zero checksum over IPv4 is not checked); ICMP/ICMPv6 checksum; ports not zero; ICMP type known. An ICMP error is
 * keyed by the header it quotes, reversed, and marked {@link #icmpRelated}. A packet that fails any check is
 * {@code +inv}.
 *
 * <h2>Thread-safety</h2> Confined to the thread processing the packet.
 */
final class PacketKey {
    static final int ETH_TYPE_IP = 0x0800;
    static final int ETH_TYPE_IPV6 = 0x86dd;
    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMPV6 = 58;

    long src0;
    long src1;
    long dst0;
    long dst1;
    int ports;
    int icmpId;
    int proto;
    boolean v6;
    int zone;
    /** Symmetric hash of the key: equal for the key and its reverse. */
    int hash;

    /** The packet is an ICMP error; the key is that of the connection it quotes, reversed. */
    boolean icmpRelated;
    /** Set by lookup: the key matched its connection in the reply direction. */
    boolean reply;

    /** Offset of the IP header in the frame. */
    int l3;
    /** For an ICMP error ({@link #icmpRelated}): offset of the quoted IP header, and of its L4 header. */
    int innerL3;
    int innerL4;
    /** Offset of the L4 header (of the outer packet for ICMP errors). */
    int l4;
    /** Bytes from {@link #l4} to the end of the IP payload, Ethernet padding excluded. */
    int l4Length;

    /**
     * Parses {@code frame[off, off+len)} into this key for {@code zone}. Returns false, leaving the key in an
     * undefined state, if the packet cannot be tracked ({@code +inv}).
     */
    boolean extract(byte[] frame, int off, int len, int zone) {
        this.zone = zone;
        this.icmpRelated = false;
        this.reply = false;
        final int end = off + len;
        if (len < 14) {
            return false;
        }
        int p = off + 12;
        int ethType = u16(frame, p);
        p += 2;
        while (ethType == 0x8100 || ethType == 0x88a8) {
            if (end - p < 4) {
                return false;
            }
            ethType = u16(frame, p + 2);
            p += 4;
        }
        boolean ok;
        if (ethType == ETH_TYPE_IP) {
            ok = extractIpv4(frame, p, end, true) && extractL4(frame, true);
        } else if (ethType == ETH_TYPE_IPV6) {
            ok = extractIpv6(frame, p, end, true) && extractL4(frame, true);
        } else {
            return false;
        }
        if (ok) {
            hash = hash();
        }
        return ok;
    }

    /**
     * IPv4 header ({@code extract_l3_ipv4()}): sets addresses, protocol, {@link #l3}, {@link #l4} and
     * {@link #l4Length}.
     */
    private boolean extractIpv4(byte[] f, int p, int end, boolean outer) {
        if (end - p < 20) {
            return false;
        }
        int vihl = f[p] & 0xff;
        int ihl = (vihl & 0x0f) * 4;
        if (ihl < 20 || end - p < ihl) {
            return false;
        }
        int totLen;
        if (outer) {
            // The outer header must be consistent with the frame (OVS's miniflow_extract() sanity check); the L4
            // length then excludes the Ethernet padding.
            totLen = u16(f, p + 2);
            if ((vihl >>> 4) != 4 || totLen < ihl || totLen > end - p) {
                return false;
            }
        } else {
            // A header quoted by an ICMP error is usually cut short: OVS takes what is there.
            totLen = end - p;
        }
        if ((u16(f, p + 6) & 0x3fff) != 0) {
            return false;   // a fragment: more-fragments set or a non-zero offset
        }
        if (outer && Checksums.of(f, p, ihl) != 0) {
            return false;
        }
        v6 = false;
        src0 = 0;
        dst0 = 0;
        src1 = u32(f, p + 12) & 0xffffffffL;
        dst1 = u32(f, p + 16) & 0xffffffffL;
        proto = f[p + 9] & 0xff;
        l3 = p;
        l4 = p + ihl;
        l4Length = totLen - ihl;
        return true;
    }

    /**
     * IPv6 header and extension headers ({@code extract_l3_ipv6()}); fragments fail, atomic fragments do not. The outer
     * header's payload length must fit the frame; a header quoted by an ICMPv6 error runs to the end of the error.
     */
    private boolean extractIpv6(byte[] f, int p, int end, boolean outer) {
        if (end - p < 40) {
            return false;
        }
        int l3end = end;
        if (outer) {
            int plen = u16(f, p + 4);
            l3end = p + 40 + plen;
            if (((f[p] & 0xff) >>> 4) != 6 || l3end > end) {
                return false;
            }
        }
        int nxt = f[p + 6] & 0xff;
        src0 = u64(f, p + 8);
        src1 = u64(f, p + 16);
        dst0 = u64(f, p + 24);
        dst1 = u64(f, p + 32);
        int q = p + 40;
        while (true) {
            if (nxt == 0 || nxt == 43 || nxt == 60) {          // hop-by-hop, routing, destination options
                if (l3end - q < 8) {
                    return false;
                }
                int hlen = ((f[q + 1] & 0xff) + 1) * 8;
                if (l3end - q < hlen) {
                    return false;
                }
                nxt = f[q] & 0xff;
                q += hlen;
            } else if (nxt == 51) {                             // authentication header
                if (l3end - q < 8) {
                    return false;
                }
                int hlen = ((f[q + 1] & 0xff) + 2) * 4;
                if (l3end - q < hlen) {
                    return false;
                }
                nxt = f[q] & 0xff;
                q += hlen;
            } else if (nxt == 44) {                             // fragment
                if (l3end - q < 8) {
                    return false;
                }
                // As OVS parse_ipv6_ext_hdrs__(): only a header with a non-zero offset or the more-fragments flag makes
                // a fragment, which is not tracked; an atomic fragment (RFC 6946) is parsed through.
                if (u16(f, q + 2) != 0) {
                    return false;
                }
                nxt = f[q] & 0xff;
                q += 8;
            } else {
                break;
            }
        }
        v6 = true;
        proto = nxt;
        l3 = p;
        l4 = q;
        l4Length = l3end - q;
        return true;
    }

    /**
     * L4 ({@code extract_l4()}): ports, ICMP ids and types. {@code outer} is false for the header an ICMP error
     * quotes, which is neither checksummed nor required to be whole (8 bytes of it are enough).
     */
    private boolean extractL4(byte[] f, boolean outer) {
        final int l4 = this.l4;
        final int size = this.l4Length;
        ports = 0;
        icmpId = 0;
        switch (proto) {
            case PROTO_TCP: {
                if (outer) {
                    if (size < 20) {
                        return false;
                    }
                    int dataOff = ((f[l4 + 12] & 0xff) >>> 4) * 4;
                    if (dataOff < 20 || dataOff > size) {
                        return false;
                    }
                    if (!l4ChecksumValid(f, size)) {
                        return false;
                    }
                } else if (size < 8) {
                    return false;
                }
                return setPorts(f, l4);
            }
            case PROTO_UDP: {
                if (outer) {
                    if (size < 8) {
                        return false;
                    }
                    int udpLen = u16(f, l4 + 4);
                    if (udpLen < 8 || udpLen > size) {
                        return false;
                    }
                    boolean zeroOverV4 = u16(f, l4 + 6) == 0 && !v6;
                    // As OVS check_l4_udp(): the checksum covers the whole IP payload, not just udp_len bytes.
                    if (!zeroOverV4 && !l4ChecksumValid(f, size)) {
                        return false;
                    }
                } else if (size < 8) {
                    return false;
                }
                return setPorts(f, l4);
            }
            case PROTO_ICMP:
                if (v6) {
                    return true;    // ICMPv4 inside IPv6: no L4 key, like any other protocol
                }
                if (size < 8) {
                    return false;
                }
                if (outer && Checksums.of(f, l4, size) != 0) {
                    return false;
                }
                return extractIcmp4(f, outer);
            case PROTO_ICMPV6:
                if (!v6) {
                    return true;
                }
                if (outer && !l4ChecksumValid(f, size)) {
                    return false;
                }
                return extractIcmp6(f, outer);
            default:
                return true;    // other protocols have no L4 key
        }
    }

    private boolean setPorts(byte[] f, int l4) {
        int sport = u16(f, l4);
        int dport = u16(f, l4 + 2);
        ports = (sport << 16) | dport;
        icmpId = 0;
        return sport != 0 && dport != 0;    // port 0 is invalid
    }

    private boolean l4ChecksumValid(byte[] f, int length) {
        long sum = v6 ? Checksums.pseudoV6(f, l3, proto, length) : Checksums.pseudoV4(f, l3);
        return Checksums.finish(Checksums.add(sum, f, l4, length)) == 0;
    }

    private boolean extractIcmp4(byte[] f, boolean outer) {
        int type = f[l4] & 0xff;
        int code = f[l4 + 1] & 0xff;
        switch (type) {
            case 8:     // echo request
            case 0:     // echo reply
            case 13:    // timestamp
            case 14:    // timestamp reply
            case 15:    // information request
            case 16:    // information reply
                if (code != 0) {
                    return false;
                }
                icmpId = u16(f, l4 + 4);
                ports = (type << 24) | (reverseIcmp4Type(type) << 8);
                return true;
            case 3:     // destination unreachable
            case 11:    // time exceeded
            case 12:    // parameter problem
            case 4:     // source quench
            case 5: {   // redirect
                if (!outer) {
                    return false;
                }
                long outerDst = dst1;
                int outerL3 = l3;
                int outerL4 = l4;
                int outerLength = l4Length;
                if (!extractIpv4(f, l4 + 8, l4 + l4Length, false)) {
                    return false;
                }
                // The quoted packet must have been sent by the error's destination.
                if (src1 != outerDst || !extractL4(f, false)) {
                    return false;
                }
                return relatedTo(outerL3, outerL4, outerLength);
            }
            default:
                return false;
        }
    }

    private boolean extractIcmp6(byte[] f, boolean outer) {
        if (l4Length < 8) {
            return false;
        }
        int type = f[l4] & 0xff;
        int code = f[l4 + 1] & 0xff;
        switch (type) {
            case 128:   // echo request
            case 129:   // echo reply
                if (code != 0) {
                    return false;
                }
                icmpId = u16(f, l4 + 4);
                ports = (type << 24) | ((type == 128 ? 129 : 128) << 8);
                return true;
            case 1:     // destination unreachable
            case 2:     // packet too big
            case 3:     // time exceeded
            case 4: {   // parameter problem
                if (!outer) {
                    return false;
                }
                long outerDst0 = dst0;
                long outerDst1 = dst1;
                int outerL3 = l3;
                int outerL4 = l4;
                int outerLength = l4Length;
                if (!extractIpv6(f, l4 + 8, l4 + l4Length, false)) {
                    return false;
                }
                if (src0 != outerDst0 || src1 != outerDst1 || !extractL4(f, false)) {
                    return false;
                }
                return relatedTo(outerL3, outerL4, outerLength);
            }
            default:
                return false;   // neighbour discovery and the rest are not tracked: +inv, as in OVS
        }
    }

    /**
     * Finishes the key of an ICMP error: the quoted header's key reversed (it was sent by the error's destination),
     * with the outer offsets restored and the quoted ones kept for NAT.
     */
    private boolean relatedTo(int outerL3, int outerL4, int outerLength) {
        innerL3 = l3;
        innerL4 = l4;
        l3 = outerL3;
        l4 = outerL4;
        l4Length = outerLength;
        reverse();
        icmpRelated = true;
        return true;
    }

    static int reverseIcmp4Type(int type) {
        switch (type) {
            case 8:
                return 0;
            case 0:
                return 8;
            case 13:
                return 14;
            case 14:
                return 13;
            case 15:
                return 16;
            case 16:
                return 15;
            default:
                return type;
        }
    }

    /** Copies the key fields (not the offsets) of {@code o}. */
    void copyFrom(PacketKey o) {
        src0 = o.src0;
        src1 = o.src1;
        dst0 = o.dst0;
        dst1 = o.dst1;
        ports = o.ports;
        icmpId = o.icmpId;
        proto = o.proto;
        v6 = o.v6;
        zone = o.zone;
        hash = o.hash;
        icmpRelated = false;
        reply = false;
    }

    /** Swaps the two directions of the key ({@code conn_key_reverse()}). */
    void reverse() {
        long t = src0;
        src0 = dst0;
        dst0 = t;
        t = src1;
        src1 = dst1;
        dst1 = t;
        ports = (ports << 16) | (ports >>> 16);
    }

    /**
     * A hash equal for the key and its reverse, so that both directions of a connection land in the same bucket and
     * the same probe sequence (as OVS's {@code conn_key_hash()} is symmetric). ICMP hashes its identifier only, since
     * its "ports" (types) differ by direction.
     */
    int hash() {
        return symmetricHash(src0, src1, dst0, dst1, ports, icmpId, proto, zone, proto == PROTO_ICMP
                || proto == PROTO_ICMPV6);
    }

    static int symmetricHash(long s0, long s1, long d0, long d1, int ports, int icmpId, int proto, int zone,
                             boolean icmp) {
        long a = mix64(s0 * 0x9E3779B97F4A7C15L + s1) + mix64(d0 * 0x9E3779B97F4A7C15L + d1);
        int p = icmp ? icmpId : (ports >>> 16) + (ports & 0xffff);
        long h = a ^ (((long) p << 32) | ((long) zone << 8) | proto) * 0xC2B2AE3D27D4EB4FL;
        return (int) mix64(h);
    }

    /** MurmurHash3's 64-bit finalizer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    static int u16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }

    static int u32(byte[] f, int i) {
        return ((f[i] & 0xff) << 24) | ((f[i + 1] & 0xff) << 16) | ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
    }

    static long u64(byte[] f, int i) {
        return ((long) u32(f, i) << 32) | (u32(f, i + 4) & 0xffffffffL);
    }
}
