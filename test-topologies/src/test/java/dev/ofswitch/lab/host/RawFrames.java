package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.Ipv4;
import dev.ofswitch.lab.host.wire.Tcp;
import dev.ofswitch.lab.host.wire.Udp;

/** Hand-built frames for tests that play a peer the stack does not implement. */
final class RawFrames {
    private RawFrames() {
    }

    static byte[] tcp(HostConfig from, HostConfig to, int srcPort, int dstPort, int seq, int ack, int flags,
            int window, byte[] data) {
        int l4Len = Tcp.HEADER_LEN + data.length;
        byte[] f = ip(from, to, Ipv4.PROTO_TCP, l4Len);
        int o = Ethernet.HEADER_LEN + Ipv4.HEADER_LEN;
        Bytes.put16(f, o, srcPort);
        Bytes.put16(f, o + 2, dstPort);
        Bytes.put32(f, o + 4, seq);
        Bytes.put32(f, o + 8, ack);
        f[o + 12] = 0x50;
        f[o + 13] = (byte) flags;
        Bytes.put16(f, o + 14, window);
        System.arraycopy(data, 0, f, o + Tcp.HEADER_LEN, data.length);
        long sum = Checksum.addIpv4PseudoHeader(0, from.ipv4Int(), to.ipv4Int(), Ipv4.PROTO_TCP, l4Len);
        Bytes.put16(f, o + 16, Checksum.finish(Checksum.add(sum, f, o, l4Len)));
        return f;
    }

    static byte[] udp(HostConfig from, HostConfig to, int srcPort, int dstPort, byte[] data) {
        int l4Len = Udp.HEADER_LEN + data.length;
        byte[] f = ip(from, to, Ipv4.PROTO_UDP, l4Len);
        int o = Ethernet.HEADER_LEN + Ipv4.HEADER_LEN;
        Bytes.put16(f, o, srcPort);
        Bytes.put16(f, o + 2, dstPort);
        Bytes.put16(f, o + 4, l4Len);
        System.arraycopy(data, 0, f, o + Udp.HEADER_LEN, data.length);
        long sum = Checksum.addIpv4PseudoHeader(0, from.ipv4Int(), to.ipv4Int(), Ipv4.PROTO_UDP, l4Len);
        Bytes.put16(f, o + 6, Checksum.finish(Checksum.add(sum, f, o, l4Len)));
        return f;
    }

    static byte[] ip(HostConfig from, HostConfig to, int proto, int l4Len) {
        byte[] f = Ethernet.allocate(Ipv4.HEADER_LEN + l4Len);
        Ethernet.writeHeader(f, to.mac(), from.mac(), Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, Ethernet.HEADER_LEN, Ipv4.HEADER_LEN + l4Len, 1, false, 64, proto, from.ipv4Int(),
                to.ipv4Int());
        return f;
    }
}
