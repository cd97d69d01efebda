package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.FrameFormat;
import dev.ofswitch.lab.host.wire.Ipv4;
import dev.ofswitch.lab.host.wire.Tcp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, on the wire, that no host ever sends a TCP octet or FIN beyond the right edge of the receive window its
 * peer advertised to it: the rule a pf-style tracker enforces.
 *
 * <p>Hook {@link #delivered} to frames as they reach a host and {@link #sent} to frames as a host transmits them. A
 * delivered segment with ACK moves the edge its sender advertised ({@code ack + (win << scale)}, unscaled on SYNs,
 * scaled only when both SYNs carried the option); a sent segment's last sequence number ({@code seq + len + FIN})
 * must not pass the highest edge the sending host was ever told.
 */
final class TcpWindowMonitor {
    private static final class Direction {
        int wscale = -1;
        boolean edgeKnown;
        int maxEdge;
    }

    private final Map<String, Direction> directions = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    long segmentsChecked;
    long dataSegmentsChecked;

    void install(TestWire wire) {
        wire.sendHooks.add((p, f) -> sent(f));
        wire.deliverHooks.add((p, f) -> delivered(f));
    }

    private Direction dir(int srcIp, int srcPort, int dstIp, int dstPort) {
        return directions.computeIfAbsent(srcIp + ":" + srcPort + ">" + dstIp + ":" + dstPort, k -> new Direction());
    }

    void sent(byte[] f) {
        int l4 = tcpOffset(f);
        if (l4 < 0) {
            return;
        }
        int ip = Ethernet.HEADER_LEN;
        int src = Ipv4.src(f, ip);
        int dst = Ipv4.dst(f, ip);
        int sp = Tcp.srcPort(f, l4);
        int dp = Tcp.dstPort(f, l4);
        int flags = Tcp.flags(f, l4);
        int hl = Tcp.headerLength(f, l4);
        int len = Ipv4.totalLength(f, ip) - Ipv4.headerLength(f, ip) - hl;
        Direction me = dir(src, sp, dst, dp);
        if ((flags & Tcp.SYN) != 0) {
            me.wscale = Tcp.Options.parse(f, l4, hl).wscale;
            return;
        }
        if ((flags & Tcp.RST) != 0) {
            return;
        }
        segmentsChecked++;
        int end = Tcp.seq(f, l4) + len + ((flags & Tcp.FIN) != 0 ? 1 : 0);
        if (len == 0 && (flags & Tcp.FIN) == 0) {
            return;
        }
        dataSegmentsChecked++;
        Direction peer = dir(dst, dp, src, sp);
        if (!peer.edgeKnown) {
            violations.add("data before any window: " + FrameFormat.describe(f));
        } else if (end - peer.maxEdge > 0) {
            violations.add("beyond the window by " + (end - peer.maxEdge) + " bytes: " + FrameFormat.describe(f));
        }
    }

    void delivered(byte[] f) {
        int l4 = tcpOffset(f);
        if (l4 < 0) {
            return;
        }
        int ip = Ethernet.HEADER_LEN;
        int flags = Tcp.flags(f, l4);
        if ((flags & Tcp.ACK_FLAG) == 0 || (flags & Tcp.RST) != 0) {
            return;
        }
        int src = Ipv4.src(f, ip);
        int dst = Ipv4.dst(f, ip);
        int sp = Tcp.srcPort(f, l4);
        int dp = Tcp.dstPort(f, l4);
        Direction me = dir(src, sp, dst, dp);
        Direction peer = dir(dst, dp, src, sp);
        int scale = (flags & Tcp.SYN) != 0 || me.wscale < 0 || peer.wscale < 0 ? 0 : me.wscale;
        int edge = Tcp.ack(f, l4) + (Tcp.window(f, l4) << scale);
        if (!me.edgeKnown || edge - me.maxEdge > 0) {
            me.maxEdge = edge;
            me.edgeKnown = true;
        }
    }

    private static int tcpOffset(byte[] f) {
        if (f.length < Ethernet.HEADER_LEN + Ipv4.HEADER_LEN || Ethernet.etherType(f) != Ethernet.TYPE_IPV4) {
            return -1;
        }
        int ip = Ethernet.HEADER_LEN;
        if (Ipv4.protocol(f, ip) != Ipv4.PROTO_TCP) {
            return -1;
        }
        return ip + Ipv4.headerLength(f, ip);
    }
}
