package dev.ofswitch.conntrack;

/**
 * One direction of a connection as {@code dpctl/dump-conntrack} shows it. For ICMP and ICMPv6 the ports are zero and
 * the echo identifier, type and code are set; for every other protocol the identifier, type and code are zero.
 * Addresses are text (OVS's format, see {@link Addresses}). Jackson serializes it as is.
 *
 * @param ipVersion 4 or 6
 * @param proto     IP protocol number
 */
public record CtTuple(int ipVersion, int proto, String src, String dst, int srcPort, int dstPort, int icmpId,
                      int icmpType, int icmpCode) {

    /** Whether this is an ICMP/ICMPv6 tuple (id/type/code rather than ports). */
    public boolean isIcmp() {
        return (ipVersion == 4 && proto == PacketKey.PROTO_ICMP) || (ipVersion == 6 && proto == PacketKey.PROTO_ICMPV6);
    }

    /**
     * Formats the tuple as OVS's {@code ct_dpif_format_tuple()} does ({@code src=..,dst=..,sport=..,dport=..}). Like
     * OVS it picks the ICMP form by protocol number alone, so ICMPv4 over IPv6 (or ICMPv6 over IPv4), which is tracked
     * without an L4 key, prints {@code id=0,type=0,code=0} (seen with OVS 3.1).
     */
    public String format() {
        StringBuilder sb = new StringBuilder(64);
        sb.append("src=").append(src).append(",dst=").append(dst);
        if (proto == PacketKey.PROTO_ICMP || proto == PacketKey.PROTO_ICMPV6) {
            sb.append(",id=").append(icmpId).append(",type=").append(icmpType).append(",code=").append(icmpCode);
        } else {
            sb.append(",sport=").append(srcPort).append(",dport=").append(dstPort);
        }
        return sb.toString();
    }

    /** The protocol name the dump starts a line with: {@code tcp}, {@code udp}, ..., else the number. */
    public static String protoName(int proto) {
        switch (proto) {
            case 1:
                return "icmp";
            case 58:
                return "icmpv6";
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 132:
                return "sctp";
            case 136:
                return "udplite";
            case 33:
                return "dccp";
            case 2:
                return "igmp";
            default:
                return Integer.toString(proto);
        }
    }
}
