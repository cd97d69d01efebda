package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.Addresses;
import dev.ofswitch.conntrack.ConnFilter;
import dev.ofswitch.conntrack.TuplePattern;
import dev.ofswitch.ofswitch.codec.NiciraMessages;

/**
 * Turns a decoded NXT_CT_FLUSH ({@code ovs-ofctl ct-flush}) into the conntrack engine's {@link ConnFilter}, by way of
 * the same tuple syntax {@code dpctl/flush-conntrack} takes, so both paths share one parser and one meaning.
 */
final class CtFlushFilters {
    private CtFlushFilters() {
    }

    static ConnFilter of(NiciraMessages.CtFlush f) {
        ConnFilter filter = ConnFilter.all().withZone(f.zone() == null ? 0 : f.zone());
        TuplePattern orig = pattern(f.orig(), f.ipProto(), f.family());
        TuplePattern reply = pattern(f.reply(), f.ipProto(), f.family());
        if (orig != null) {
            filter = filter.withOrig(orig);
        }
        if (reply != null) {
            filter = filter.withReply(reply);
        }
        if (f.mark() != null) {
            filter = filter.withMark(f.mark().intValue(), f.markMask() == null ? -1 : f.markMask().intValue());
        }
        if (f.labels() != null) {
            long[] v = halves(f.labels());
            long[] m = f.labelsMask() == null ? new long[] {-1L, -1L} : halves(f.labelsMask());
            filter = filter.withLabel(v[0], v[1], m[0], m[1]);
        }
        if (orig == null && reply == null && f.ipProto() != 0) {
            filter = filter.withOrig(TuplePattern.parse("ct_nw_proto=" + f.ipProto()));
        }
        return filter;
    }

    private static TuplePattern pattern(NiciraMessages.CtTuple t, int proto, int family) {
        if (t == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (proto != 0) {
            sb.append("ct_nw_proto=").append(proto);
        }
        addr(sb, t.src(), "src");
        addr(sb, t.dst(), "dst");
        boolean icmp = proto == 1 || proto == 58;
        if (!icmp) {
            if (t.srcPort() != null) {
                sb.append(",ct_tp_src=").append(t.srcPort());
            }
            if (t.dstPort() != null) {
                sb.append(",ct_tp_dst=").append(t.dstPort());
            }
        } else {
            if (t.icmpId() != null) {
                sb.append(",icmp_id=").append(t.icmpId());
            }
            if (t.icmpType() != null) {
                sb.append(",icmp_type=").append(t.icmpType());
            }
            if (t.icmpCode() != null) {
                sb.append(",icmp_code=").append(t.icmpCode());
            }
        }
        String s = sb.toString();
        return TuplePattern.parse(s.startsWith(",") ? s.substring(1) : s);
    }

    /** Appends an address: IPv4-mapped (::ffff:a.b.c.d) as ct_nw_*, anything else as ct_ipv6_*. */
    private static void addr(StringBuilder sb, byte[] a, String which) {
        if (a == null) {
            return;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= a[i] == 0;
        }
        mapped &= a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        if (mapped) {
            long v = ((a[12] & 0xffL) << 24) | ((a[13] & 0xff) << 16) | ((a[14] & 0xff) << 8) | (a[15] & 0xff);
            sb.append(",ct_nw_").append(which).append('=').append(Addresses.ipv4(v));
        } else {
            long[] h = halves(a);
            sb.append(",ct_ipv6_").append(which).append('=').append(Addresses.ipv6(h[0], h[1]));
        }
    }

    private static long[] halves(byte[] b) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[8 + i] & 0xff);
        }
        return new long[] {hi, lo};
    }
}
