package dev.ofswitch.lab.host.wire;

/**
 * One-line, tcpdump-like descriptions of frames for logs and assertion messages, for example
 * {@code 10.0.0.1.40000 > 10.0.0.2.5001: Flags [S], seq 1234, win 65535, length 0} or
 * {@code ARP, Request who-has 10.0.0.2 tell 10.0.0.1}. Never throws: a frame it cannot read is described as
 * malformed.
 */
public final class FrameFormat {
    private FrameFormat() {
    }

    /** Describes {@code frame}. */
    public static String describe(byte[] frame) {
        try {
            return describeOrThrow(frame);
        } catch (RuntimeException e) {
            return "malformed frame (" + frame.length + " bytes)";
        }
    }

    private static String describeOrThrow(byte[] f) {
        if (f.length < Ethernet.HEADER_LEN) {
            return "runt frame (" + f.length + " bytes)";
        }
        int type = Ethernet.etherType(f);
        if (type == Ethernet.TYPE_ARP) {
            if (!Arp.isEthernetIpv4(f, f.length)) {
                return "ARP, unsupported";
            }
            if (Arp.op(f) == Arp.OP_REQUEST) {
                return "ARP, Request who-has " + Addresses.formatIpv4(Arp.targetIp(f)) + " tell "
                        + Addresses.formatIpv4(Arp.senderIp(f));
            }
            return "ARP, Reply " + Addresses.formatIpv4(Arp.senderIp(f)) + " is-at "
                    + Addresses.formatMac(Arp.senderMac(f));
        }
        if (type != Ethernet.TYPE_IPV4) {
            return String.format("ethertype 0x%04x (%d bytes)", type, f.length);
        }
        int ip = Ethernet.HEADER_LEN;
        int ihl = Ipv4.headerLength(f, ip);
        int total = Ipv4.totalLength(f, ip);
        int l4 = ip + ihl;
        int src = Ipv4.src(f, ip);
        int dst = Ipv4.dst(f, ip);
        String s = Addresses.formatIpv4(src);
        String d = Addresses.formatIpv4(dst);
        switch (Ipv4.protocol(f, ip)) {
            case Ipv4.PROTO_TCP: {
                int flags = Tcp.flags(f, l4);
                int hl = Tcp.headerLength(f, l4);
                int len = total - ihl - hl;
                StringBuilder sb = new StringBuilder();
                sb.append(s).append('.').append(Tcp.srcPort(f, l4)).append(" > ").append(d).append('.')
                        .append(Tcp.dstPort(f, l4)).append(": Flags [").append(Tcp.formatFlags(flags)).append("]");
                int seq = Tcp.seq(f, l4);
                if (len > 0 || (flags & (Tcp.SYN | Tcp.FIN | Tcp.RST)) != 0) {
                    sb.append(", seq ").append(Integer.toUnsignedString(seq));
                    if (len > 0) {
                        sb.append(':').append(Integer.toUnsignedString(seq + len));
                    }
                }
                if ((flags & Tcp.ACK_FLAG) != 0) {
                    sb.append(", ack ").append(Integer.toUnsignedString(Tcp.ack(f, l4)));
                }
                sb.append(", win ").append(Tcp.window(f, l4));
                if ((flags & Tcp.SYN) != 0) {
                    Tcp.Options o = Tcp.Options.parse(f, l4, hl);
                    sb.append(", options [");
                    if (o.mss >= 0) {
                        sb.append("mss ").append(o.mss);
                    }
                    if (o.sackPermitted) {
                        sb.append(",sackOK");
                    }
                    if (o.wscale >= 0) {
                        sb.append(",wscale ").append(o.wscale);
                    }
                    sb.append(']');
                }
                sb.append(", length ").append(len);
                return sb.toString();
            }
            case Ipv4.PROTO_UDP:
                return s + '.' + Udp.srcPort(f, l4) + " > " + d + '.' + Udp.dstPort(f, l4) + ": UDP, length "
                        + (Udp.length(f, l4) - Udp.HEADER_LEN);
            case Ipv4.PROTO_ICMP: {
                int t = Icmp.type(f, l4);
                int c = Icmp.code(f, l4);
                String what;
                if (t == Icmp.TYPE_ECHO_REQUEST || t == Icmp.TYPE_ECHO_REPLY) {
                    what = (t == Icmp.TYPE_ECHO_REQUEST ? "echo request" : "echo reply") + ", id "
                            + Icmp.echoId(f, l4) + ", seq " + Icmp.echoSeq(f, l4);
                } else if (t == Icmp.TYPE_DEST_UNREACHABLE) {
                    what = "unreachable code " + c;
                } else {
                    what = "type " + t + " code " + c;
                }
                return s + " > " + d + ": ICMP " + what + ", length " + (total - ihl);
            }
            default:
                return s + " > " + d + ": ip-proto-" + Ipv4.protocol(f, ip) + ", length " + (total - ihl);
        }
    }
}
