package dev.ofswitch.conntrack;

import dev.ofswitch.conntrack.packet.Csum;

/**
 * Rewrites a packet of a NATed connection in place, byte for byte as OVS 3.1's userspace conntrack does
 * ({@code nat_packet()}, {@code un_nat_packet()}, {@code reverse_nat_packet()} and the {@code packet_set_*()} helpers
 * of {@code lib/packets.c}).
 *
 * <ul>
 * <li>Original direction: SNAT rewrites the source address (and port), DNAT the destination; the packet gets
 * {@code +snat} or {@code +dnat}. Reply direction: the inverse rewrite, and the opposite bit ({@code +dnat} for the
 * reply of an SNAT connection).
 * <li>Checksums are updated incrementally ({@link Csum#recalc16}, OVS's formula): the IPv4 header checksum, the TCP
 * checksum, the UDP checksum unless it is 0 (a result of 0 becomes 0xffff), the ICMPv6 checksum for an IPv6 address.
 * <li>Ports: both ports of the packet are set from the other direction's key, so a DNAT that had to move the source
 * port moves it too (OVS 3.1's {@code pat_packet()}).
 * <li>An ICMP error, in either direction: the outer address, then the quoted header (which travelled the other way)
 * gets the reverse translation of its ports and address (its IPv4 header checksum updated, its TCP/UDP checksum only
 * if the quoted part holds it), then the ICMP checksum is recomputed over the whole message (ICMPv6: with its
 * pseudo-header).
 * <li>OVS's quirks are kept because they show on the wire: for IPv6 the L4 checksum to fix is chosen by the
 * connection's protocol, not the packet's, so the outer address change of an ICMPv6 error of a UDP connection adjusts
 * bytes 6-7 of the ICMPv6 header (the low half of a Packet Too Big MTU) as if they were a UDP checksum. A checksum that
 * OVS would write past the end of a quoted header is left alone when it falls outside the frame.
 * <li>ICMP echo identifiers are translated too (OVS 3.1 never changes them; see {@link NatSelector}).
 * </ul>
 *
 * <p>Stateless; reads only immutable connection fields, so it runs without the bucket lock.
 */
final class NatRewriter {
    private NatRewriter() {
    }

    /**
     * OVS {@code handle_nat()} for a connection found (or cached) with a {@code nat} action: translates in the
     * packet's direction unless it was already translated in this zone.
     */
    static void handleNat(byte[] f, int end, PacketKey k, Conn c, CtMetadata md, boolean reply, boolean related) {
        NatInfo n = c.nat;
        if (n == null || n.action == 0 || (md.state & (CtState.SNAT | CtState.DNAT)) != 0) {
            return;
        }
        natPacket(f, end, k, c, md, reply, related);
    }

    /**
     * OVS 3.1 {@code nat_packet()}: rewrites the packet with the key of the other direction. The original direction
     * applies the connection's action with the reply key; the reply direction the reverse action (SNAT becomes a
     * destination rewrite) with the original key. One address changes; both ports (or the echo identifier) are set
     * from the key. An ICMP error gets its outer address rewritten, then its quoted header translated the other way
     * ({@code nat_inner_packet()}) and its checksum recomputed.
     */
    static void natPacket(byte[] f, int end, PacketKey k, Conn c, CtMetadata md, boolean reply, boolean related) {
        NatInfo n = c.nat;
        int action = n.action & (NatSelector.SRC | NatSelector.DST);
        if (action == 0) {
            return;
        }
        if (reply) {
            action ^= NatSelector.SRC | NatSelector.DST;
        }
        // The key of the other direction: source, destination, their ports and the echo identifier.
        final long s0;
        final long s1;
        final long d0;
        final long d1;
        final int sport;
        final int dport;
        final int id;
        if (reply) {
            s0 = c.src0;
            s1 = c.src1;
            d0 = c.dst0;
            d1 = c.dst1;
            sport = c.ports >>> 16;
            dport = c.ports & 0xffff;
            id = c.icmpId;
        } else {
            s0 = n.rsrc0;
            s1 = n.rsrc1;
            d0 = n.rdst0;
            d1 = n.rdst1;
            sport = n.rports >>> 16;
            dport = n.rports & 0xffff;
            id = n.ricmpId;
        }
        boolean src = action == NatSelector.SRC;
        md.state |= src ? CtState.SNAT : CtState.DNAT;
        if (src) {
            setAddress(f, end, k, k.l3, k.l4, k.l4Length, true, d0, d1, c.proto);
        } else {
            setAddress(f, end, k, k.l3, k.l4, k.l4Length, false, s0, s1, c.proto);
        }
        if (!related) {
            setPorts(f, end, k.l4, c, dport, sport, id);
            return;
        }
        // The quoted header travelled the other way: its ports from the key reversed, and the reverse action.
        int il3 = k.innerL3;
        int il4 = k.innerL4;
        int ilen = k.l4 + k.l4Length - il4;
        setPorts(f, end, il4, c, sport, dport, id);
        if (src) {
            setAddress(f, end, k, il3, il4, ilen, false, d0, d1, c.proto);
        } else {
            setAddress(f, end, k, il3, il4, ilen, true, s0, s1, c.proto);
        }
        int l4 = k.l4;
        f[l4 + 2] = 0;
        f[l4 + 3] = 0;
        int sum;
        if (k.v6) {
            long ps = Checksums.pseudoV6(f, k.l3, PacketKey.PROTO_ICMPV6, k.l4Length);
            sum = Checksums.finish(Checksums.add(ps, f, l4, k.l4Length));
        } else {
            sum = Checksums.of(f, l4, k.l4Length);
        }
        Csum.put16(f, l4 + 2, sum);
    }

    /**
     * {@code packet_set_ipv4_addr()} / {@code packet_set_ipv6_addr()}: writes the source ({@code source} true) or
     * destination address of the IP header at {@code l3}, fixing the checksums of the L4 header at {@code l4} of
     * {@code l4Size} bytes. IPv4 picks the L4 checksum by the header's protocol, IPv6 by {@code connProto} (OVS).
     */
    private static void setAddress(byte[] f, int end, PacketKey k, int l3, int l4, int l4Size, boolean source,
                                   long hi, long lo, int connProto) {
        if (!k.v6) {
            int at = l3 + (source ? 12 : 16);
            int oldAddr = Csum.u32(f, at);
            int newAddr = (int) lo;
            int proto = f[l3 + 9] & 0xff;
            if (proto == PacketKey.PROTO_TCP && l4Size >= 20) {
                Csum.put16(f, l4 + 16, Csum.recalc32(Csum.u16(f, l4 + 16), oldAddr, newAddr));
            } else if (proto == PacketKey.PROTO_UDP && l4Size >= 8) {
                int cs = Csum.u16(f, l4 + 6);
                if (cs != 0) {
                    cs = Csum.recalc32(cs, oldAddr, newAddr);
                    Csum.put16(f, l4 + 6, cs == 0 ? 0xffff : cs);
                }
            }
            Csum.put16(f, l3 + 10, Csum.recalc32(Csum.u16(f, l3 + 10), oldAddr, newAddr));
            Csum.put32(f, at, newAddr);
        } else {
            int at = l3 + (source ? 8 : 24);
            int csumAt = -1;
            boolean udp = false;
            if (connProto == PacketKey.PROTO_TCP && l4Size >= 20) {
                csumAt = l4 + 16;
            } else if (connProto == PacketKey.PROTO_UDP && l4Size >= 8) {
                csumAt = l4 + 6;
                udp = true;
            } else if (connProto == PacketKey.PROTO_ICMPV6 && l4Size >= 4) {
                csumAt = l4 + 2;
            }
            if (csumAt >= 0 && csumAt + 2 <= end) {
                int cs = Csum.u16(f, csumAt);
                if (!udp || cs != 0) {
                    for (int i = 0; i < 16; i += 2) {
                        long word = i < 8 ? hi >>> (48 - i * 8) : lo >>> (48 - (i - 8) * 8);
                        cs = Csum.recalc16(cs, Csum.u16(f, at + i), (int) word & 0xffff);
                    }
                    Csum.put16(f, csumAt, udp && cs == 0 ? 0xffff : cs);
                }
            }
            Csum.put32(f, at, (int) (hi >>> 32));
            Csum.put32(f, at + 4, (int) hi);
            Csum.put32(f, at + 8, (int) (lo >>> 32));
            Csum.put32(f, at + 12, (int) lo);
        }
    }

    /**
     * {@code packet_set_tcp_port()} / {@code packet_set_udp_port()} and the ICMP identifier: sets the source port,
     * the destination port (-1 keeps one) or, for ICMP echo, the identifier, at the L4 header {@code l4}.
     */
    private static void setPorts(byte[] f, int end, int l4, Conn c, int sport, int dport, int icmpId) {
        int proto = c.proto;
        if (proto == PacketKey.PROTO_TCP) {
            setPort(f, end, l4, sport, l4 + 16);
            setPort(f, end, l4 + 2, dport, l4 + 16);
        } else if (proto == PacketKey.PROTO_UDP) {
            int cs = Csum.u16(f, l4 + 6);
            if (cs != 0) {
                setPort(f, end, l4, sport, l4 + 6);
                setPort(f, end, l4 + 2, dport, l4 + 6);
                if (Csum.u16(f, l4 + 6) == 0) {
                    Csum.put16(f, l4 + 6, 0xffff);
                }
            } else {
                if (sport >= 0) {
                    Csum.put16(f, l4, sport);
                }
                if (dport >= 0) {
                    Csum.put16(f, l4 + 2, dport);
                }
            }
        } else if (proto == (c.v6 ? PacketKey.PROTO_ICMPV6 : PacketKey.PROTO_ICMP)) {
            setPort(f, end, l4 + 4, icmpId, l4 + 2);
        }
    }

    /** {@code packet_set_port()}: a changed 16-bit field and the checksum that covers it (skipped past the frame). */
    private static void setPort(byte[] f, int end, int at, int value, int csumAt) {
        if (value < 0) {
            return;
        }
        int old = Csum.u16(f, at);
        if (old == value) {
            return;
        }
        if (csumAt + 2 <= end) {
            Csum.put16(f, csumAt, Csum.recalc16(Csum.u16(f, csumAt), old, value));
        }
        Csum.put16(f, at, value);
    }
}
