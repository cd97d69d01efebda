package dev.ofswitch.conntrack;

/**
 * Chooses the translated reply tuple of a new NATed connection: OVS 3.1's {@code nat_get_unique_tuple()} with a
 * deterministic start instead of OVS's random hash basis.
 *
 * <h2>Allocation order</h2> Given the original key and the request:
 * <ol>
 * <li><b>Address.</b> With no address (or an all-zero one): SNAT keeps the source address, DNAT the destination, and a
 * bare {@code nat} at commit uses the all-zero address (OVS 3.1 then stores the reply tuple
 * {@code src=0.0.0.0,dport=0}; we do the same). With a range {@code [min, max]}: start at
 * {@code min + h % size}, where {@code h} is {@link #startHash} of the original key and the request (IPv6 ranges wider
 * than 2^32 are walked from a start within their first 2^32 addresses).
 * <li><b>Ports</b> (TCP and UDP). The source port: for SNAT without a port range, and for DNAT, start at the original
 * source port and search its class: 1-511, 600-1023 or 1024-65535. For SNAT with a port range, start at
 * {@code min + h % size} of that range. The destination port: for DNAT with a port range, start at
 * {@code min + h % size}; otherwise it is kept. Each search walks its range once, upwards, wrapping from the last port
 * to the first, and starts where the previous search of that variable stopped (OVS's
 * {@code FOR_EACH_PORT_IN_RANGE}).
 * <li><b>Loops.</b> For each address from the start (wrapping, until back at the start): for each destination port:
 * for each source port: the first candidate no live connection uses, in either direction, wins.
 * </ol>
 * Real OVS observed: SNAT of {@code 10.0.0.2:5000} after {@code 10.0.0.1:5000} to one address gives port 5001; 511
 * taken gives 1; 65535 taken gives 1024; a single-port range taken is exhaustion.
 *
 * <h2>ICMP echo (a deliberate difference from OVS 3.1)</h2> OVS 3.1 translates only the address of ICMP, so a second
 * host pinging the same destination with the same identifier exhausts a single-address pool and leaves untranslated.
 * Here the identifier is translated like a source port: with a port range, from {@code min + h % size} within it;
 * without, from the original identifier through all 65536 values. Three hosts using identifier 77 get 77, 78, 79.
 *
 * <h2>Bounds</h2> At most {@value #MAX_PROBES} candidates are probed; an all-zero SNAT whose port class is full would
 * otherwise walk the whole address space as OVS does.
 *
 * <p>Stateless; the caller serializes allocations.
 */
final class NatSelector {
    /** Upper bound on the candidates one allocation looks at. */
    static final int MAX_PROBES = 1 << 20;

    /** nat_action bits, as OVS's {@code NAT_ACTION_*}. */
    static final int SRC = 1;
    static final int DST = 2;
    static final int SRC_PORT = 4;
    static final int DST_PORT = 8;

    /** Whether a candidate reply key is unused. */
    interface Probe {
        boolean isFree(PacketKey candidate, long nowNanos);
    }

    private NatSelector() {
    }

    /** The nat_action bits of {@code r}: SRC/DST, and SRC_PORT/DST_PORT when a port range is given. */
    static int action(NatRequest r) {
        int a = 0;
        if (r.isSrc()) {
            a = SRC | (r.portMin() != 0 ? SRC_PORT : 0);
        } else if ((r.flags() & NatRequest.F_DST) != 0) {
            a = DST | (r.portMin() != 0 ? DST_PORT : 0);
        }
        return a;
    }

    /**
     * Searches a reply key for the connection with original key {@code k}; on success {@code out} holds it (with its
     * hash) and true is returned. False means exhaustion.
     */
    static boolean select(PacketKey k, NatRequest r, PacketKey out, Probe probe, long nowNanos) {
        final int action = action(r);
        final boolean v6 = k.v6;
        final long h = startHash(k, r) & 0xffffffffL;

        // Range as the packet's family sees it (OVS's union ct_addr: an IPv4 range read as IPv6 is its first word).
        long minHi;
        long minLo;
        long maxHi;
        long maxLo;
        if (r.family() == 0) {
            minHi = minLo = maxHi = maxLo = 0;
        } else if (v6 == (r.family() == 6)) {
            minHi = r.minHi();
            minLo = r.minLo();
            maxHi = r.maxHi();
            maxLo = r.maxLo();
        } else if (v6) {
            minHi = r.minLo() << 32;
            minLo = 0;
            maxHi = r.maxLo() << 32;
            maxLo = 0;
        } else {
            minHi = 0;
            minLo = r.minHi() >>> 32;
            maxHi = 0;
            maxLo = r.maxHi() >>> 32;
        }
        long currHi;
        long currLo;
        if (minHi == 0 && minLo == 0) {
            if ((action & SRC) != 0) {
                currHi = k.src0;
                currLo = k.src1;
            } else if ((action & DST) != 0) {
                currHi = k.dst0;
                currLo = k.dst1;
            } else {
                currHi = 0;
                currLo = 0;
            }
        } else if (!v6) {
            long size = maxLo - minLo + 1;
            currHi = 0;
            currLo = size <= 0 ? minLo : minLo + h % size;
        } else {
            // Span max - min, capped at 2^32 - 1, as an offset from min.
            long spanLo = maxLo - minLo;
            long spanHi = maxHi - minHi - (Long.compareUnsigned(maxLo, minLo) < 0 ? 1 : 0);
            long span = spanHi != 0 || Long.compareUnsigned(spanLo, 0xffffffffL) > 0 ? 0xffffffffL : spanLo;
            long off = h % (span + 1);
            currLo = minLo + off;
            currHi = minHi + (Long.compareUnsigned(currLo, minLo) < 0 ? 1 : 0);
        }
        final long guardHi = currHi;
        final long guardLo = currLo;

        final boolean icmp = k.proto == (v6 ? PacketKey.PROTO_ICMPV6 : PacketKey.PROTO_ICMP);
        final boolean pat = k.proto == PacketKey.PROTO_TCP || k.proto == PacketKey.PROTO_UDP
                || (icmp && (action & (SRC | DST)) != 0);
        int sport = k.ports >>> 16;
        int dport = k.ports & 0xffff;
        int sMin;
        int sMax;
        int sCurr;
        int dMin;
        int dMax;
        int dCurr;
        if (icmp) {
            if ((action & (SRC_PORT | DST_PORT)) != 0) {
                sMin = r.portMin();
                sMax = r.portMax();
                sCurr = sMin + (int) (h % (sMax - sMin + 1));
            } else {
                sMin = 0;
                sMax = 0xffff;
                sCurr = k.icmpId;
            }
            dMin = dMax = dCurr = 0;
        } else {
            if ((action & (SRC | SRC_PORT)) == SRC || (action & DST) != 0) {
                sCurr = sport;
                if (sport < 512) {
                    sMin = 1;
                    sMax = 511;
                } else if (sport < 1024) {
                    sMin = 600;
                    sMax = 1023;
                } else {
                    sMin = 1024;
                    sMax = 65535;
                }
            } else {
                sMin = r.portMin();
                sMax = r.portMax();
                sCurr = sMin + (int) (h % (sMax - sMin + 1));
            }
            if ((action & DST_PORT) != 0) {
                dMin = r.portMin();
                dMax = r.portMax();
                dCurr = dMin + (int) (h % (dMax - dMin + 1));
            } else {
                dMin = dMax = dCurr = dport;
            }
        }

        out.copyFrom(k);
        out.reverse();
        int probes = 0;
        while (true) {
            if ((action & SRC) != 0) {
                out.dst0 = currHi;
                out.dst1 = currLo;
            } else {
                out.src0 = currHi;
                out.src1 = currLo;
            }
            if (!pat) {
                out.hash = out.hash();
                if (probe.isFree(out, nowNanos)) {
                    return true;
                }
                probes++;
            } else if (icmp) {
                for (int j = 0; j <= sMax - sMin; j++) {
                    out.icmpId = sCurr;
                    out.hash = out.hash();
                    if (probe.isFree(out, nowNanos)) {
                        return true;
                    }
                    if (++probes >= MAX_PROBES) {
                        return false;
                    }
                    sCurr = sCurr == sMax ? sMin : sCurr + 1;
                }
            } else {
                for (int i = 0; i <= dMax - dMin; i++) {
                    for (int j = 0; j <= sMax - sMin; j++) {
                        // Reply key: source port is the (new) destination port, destination port the source port.
                        out.ports = (dCurr << 16) | sCurr;
                        out.hash = out.hash();
                        if (probe.isFree(out, nowNanos)) {
                            return true;
                        }
                        if (++probes >= MAX_PROBES) {
                            return false;
                        }
                        sCurr = sCurr == sMax ? sMin : sCurr + 1;
                    }
                    dCurr = dCurr == dMax ? dMin : dCurr + 1;
                }
            }
            if (probes >= MAX_PROBES) {
                return false;
            }
            // Next address, wrapping from max to min; back at the start means exhaustion.
            if (currHi == maxHi && currLo == maxLo) {
                currHi = minHi;
                currLo = minLo;
            } else if (!v6) {
                currLo = (currLo + 1) & 0xffffffffL;
            } else {
                currLo++;
                if (currLo == 0) {
                    currHi++;
                }
            }
            if (currHi == guardHi && currLo == guardLo) {
                return false;
            }
        }
    }

    /** The start offset of the range searches: a hash of the original key and the request, fixed per tuple. */
    static int startHash(PacketKey k, NatRequest r) {
        long x = PacketKey.mix64(k.src0 * 31 + k.src1) ^ PacketKey.mix64(k.dst0 * 31 + k.dst1 + 0x9E3779B97F4A7C15L);
        x ^= ((long) k.ports << 24) ^ ((long) k.icmpId << 8) ^ k.proto ^ ((long) k.zone << 40);
        x = PacketKey.mix64(x + r.minLo() * 0xC2B2AE3D27D4EB4FL + r.maxLo() + r.minHi() + r.maxHi());
        x ^= ((long) r.portMax() << 16) | r.portMin();
        return (int) PacketKey.mix64(x);
    }
}
