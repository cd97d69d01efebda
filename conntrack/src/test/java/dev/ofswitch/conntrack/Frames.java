package dev.ofswitch.conntrack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds Ethernet frames for tests: Ethernet with optional 802.1Q tags, IPv4 (with options) or IPv6 (with extension
 * headers), then TCP (with options such as the window scale), UDP, ICMP, ICMPv6 or any other protocol's raw bytes.
 * Lengths and checksums are computed unless a test overrides them, and knobs break any of them on purpose.
 *
 * <pre>{@code
 * byte[] syn = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(Frames.SYN).seq(1000).windowScale(7).build();
 * byte[] reply = Frames.ipv4("10.0.0.2", "10.0.0.1").udp(53, 5000).payload("answer").build();
 * byte[] bad = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).corruptL4Checksum().build();
 * byte[] unreachable = Frames.ipv4("10.0.0.2", "10.0.0.1")
 *         .icmp(3, 3).payload(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).buildIp()).build();
 * byte[] echo6 = Frames.ipv6("fd00::1", "fd00::2").hopByHop().icmpv6Echo(128, 5, 1).build();
 * }</pre>
 *
 * <h2>Defaults</h2> MACs 50:54:00:00:00:01 → 50:54:00:00:00:02 (the oracle examples' "inside" → "outside"); IPv4 TOS 0,
 * identification 1, no flags, TTL 64 (scapy's defaults, so a frame built here equals the same frame written in scapy
 * in an oracle script, byte for byte); IPv6 traffic class and flow label 0, hop limit 64; TCP flags none, sequence and
 * acknowledgement 0, window 65535, urgent pointer 0; ICMP identifier and sequence 0. A TCP option list is padded to a
 * multiple of 4 bytes with end-of-list bytes, as scapy does. A computed UDP checksum of 0 is sent as 0xffff (RFC 768).
 *
 * <h2>Checksums</h2> The IPv4 header checksum covers the header; TCP, UDP and ICMPv6 use the pseudo-header of their IP
 * version with the length of the L4 bytes actually present (header plus payload), so a UDP length that is overridden
 * to something shorter still yields a checksum over the whole payload, as scapy and OVS compute it. ICMPv4 has no
 * pseudo-header.
 *
 * <h2>Thread-safety</h2> A builder is not thread-safe; {@link #build()} does not change it, so one builder can build
 * the same frame many times, and {@link Builder#copy()} forks variants.
 */
public final class Frames {
    /** TCP flag bits ({@code tcp_flags} byte). */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    /** IP protocol numbers. */
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_GRE = 47;
    public static final int PROTO_ICMPV6 = 58;
    public static final int PROTO_SCTP = 132;

    /** Ethernet types. */
    public static final int ETH_TYPE_IPV4 = 0x0800;
    public static final int ETH_TYPE_ARP = 0x0806;
    public static final int ETH_TYPE_VLAN = 0x8100;
    public static final int ETH_TYPE_IPV6 = 0x86dd;

    /** Length of an Ethernet header without tags. */
    public static final int ETH_HEADER_LEN = 14;

    private Frames() {
    }

    /** An IPv4 packet from {@code src} to {@code dst} (dotted quads); add an L4 header next. */
    public static Builder ipv4(String src, String dst) {
        return new Builder(4, parseIpv4(src), parseIpv4(dst));
    }

    /** An IPv6 packet from {@code src} to {@code dst} (any {@code inet_pton()} form); add an L4 header next. */
    public static Builder ipv6(String src, String dst) {
        return new Builder(6, parseIpv6(src), parseIpv6(dst));
    }

    /** An ARP request from 10.0.0.1 for 10.0.0.2: a frame conntrack cannot track. */
    public static byte[] arpRequest() {
        byte[] f = new byte[42];
        putMac(f, 0, "ff:ff:ff:ff:ff:ff");
        putMac(f, 6, "50:54:00:00:00:01");
        put16(f, 12, ETH_TYPE_ARP);
        byte[] body = HexFormat.of().parseHex("0001080006040001" + "505400000001" + "0a000001" + "000000000000"
                + "0a000002");
        System.arraycopy(body, 0, f, 14, body.length);
        return f;
    }

    /** An Ethernet frame of type {@code ethType} carrying {@code payload} as is. */
    public static byte[] ethernet(int ethType, byte[] payload) {
        byte[] f = new byte[ETH_HEADER_LEN + payload.length];
        putMac(f, 0, "50:54:00:00:00:02");
        putMac(f, 6, "50:54:00:00:00:01");
        put16(f, 12, ethType);
        System.arraycopy(payload, 0, f, ETH_HEADER_LEN, payload.length);
        return f;
    }

    /** The first {@code length} bytes of {@code frame}. */
    public static byte[] truncate(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }

    /** Lowercase hex without separators. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Parses hex, ignoring spaces. */
    public static byte[] fromHex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** The Internet checksum (RFC 1071) of {@code b[off, off+len)}: 0 when it contains a valid checksum. */
    public static int checksum(byte[] b, int off, int len) {
        return finish(sum(0, b, off, len));
    }

    /** The kinds of L4 header a builder can write. */
    private enum L4 {
        NONE, TCP, UDP, ICMP, ICMPV6
    }

    /** One IPv6 extension header: its type and its bytes, the next-header byte (index 0) filled in at build time. */
    private record ExtHeader(int type, byte[] bytes) {
    }

    /** Builds one frame. Setters return {@code this}; see {@link Frames} for the defaults. */
    public static final class Builder {
        private final int ipVersion;
        private byte[] src;
        private byte[] dst;
        private String macSrc = "50:54:00:00:00:01";
        private String macDst = "50:54:00:00:00:02";
        private List<Integer> vlanTcis = new ArrayList<>();
        private Integer ethTypeOverride;

        private int tos;
        private int ipId = 1;
        private boolean dontFragment;
        private boolean moreFragments;
        private int fragmentOffset8;
        private int ttl = 64;
        private int flowLabel;
        private byte[] ipOptions = new byte[0];
        private List<ExtHeader> extHeaders = new ArrayList<>();
        private Integer protoOverride;

        private L4 l4 = L4.NONE;
        private int sport;
        private int dport;
        private int tcpFlags;
        private int seq;
        private int ack;
        private int window = 65535;
        private int urgentPointer;
        private byte[] tcpOptions = new byte[0];
        private int icmpType;
        private int icmpCode;
        private int icmpRest;
        private byte[] payload = new byte[0];
        private int padding;

        private Integer ipChecksum;
        private boolean corruptIpChecksum;
        private Integer l4Checksum;
        private boolean corruptL4Checksum;
        private Integer ipTotalLength;
        private Integer ihlWords;
        private Integer versionOverride;
        private Integer ipv6PayloadLength;
        private Integer udpLength;
        private Integer tcpDataOffsetWords;

        private Builder(int ipVersion, byte[] src, byte[] dst) {
            this.ipVersion = ipVersion;
            this.src = src;
            this.dst = dst;
        }

        /** An independent copy of this builder, to derive variants of one frame. */
        public Builder copy() {
            Builder b = new Builder(ipVersion, src.clone(), dst.clone());
            b.macSrc = macSrc;
            b.macDst = macDst;
            b.vlanTcis = new ArrayList<>(vlanTcis);
            b.ethTypeOverride = ethTypeOverride;
            b.tos = tos;
            b.ipId = ipId;
            b.dontFragment = dontFragment;
            b.moreFragments = moreFragments;
            b.fragmentOffset8 = fragmentOffset8;
            b.ttl = ttl;
            b.flowLabel = flowLabel;
            b.ipOptions = ipOptions.clone();
            b.extHeaders = new ArrayList<>(extHeaders);
            b.protoOverride = protoOverride;
            b.l4 = l4;
            b.sport = sport;
            b.dport = dport;
            b.tcpFlags = tcpFlags;
            b.seq = seq;
            b.ack = ack;
            b.window = window;
            b.urgentPointer = urgentPointer;
            b.tcpOptions = tcpOptions.clone();
            b.icmpType = icmpType;
            b.icmpCode = icmpCode;
            b.icmpRest = icmpRest;
            b.payload = payload.clone();
            b.padding = padding;
            b.ipChecksum = ipChecksum;
            b.corruptIpChecksum = corruptIpChecksum;
            b.l4Checksum = l4Checksum;
            b.corruptL4Checksum = corruptL4Checksum;
            b.ipTotalLength = ipTotalLength;
            b.ihlWords = ihlWords;
            b.versionOverride = versionOverride;
            b.ipv6PayloadLength = ipv6PayloadLength;
            b.udpLength = udpLength;
            b.tcpDataOffsetWords = tcpDataOffsetWords;
            return b;
        }

        /**
         * A copy travelling the other way: MACs, IP addresses and TCP/UDP ports swapped; everything else (flags,
         * sequence numbers, payload, knobs) copied as is.
         */
        public Builder reversed() {
            Builder b = copy();
            b.src = dst.clone();
            b.dst = src.clone();
            b.macSrc = macDst;
            b.macDst = macSrc;
            b.sport = dport;
            b.dport = sport;
            return b;
        }

        // ------------------------------------------------------------------------------------------ Ethernet

        /** Source and destination MAC addresses ({@code aa:bb:cc:dd:ee:ff}). */
        public Builder macs(String source, String destination) {
            this.macSrc = source;
            this.macDst = destination;
            return this;
        }

        /** Adds an 802.1Q tag with VLAN id {@code vid} (priority 0); tags are written in the order added. */
        public Builder vlan(int vid) {
            vlanTcis.add(vid & 0x0fff);
            return this;
        }

        /** Writes {@code ethType} instead of 0x0800/0x86dd after the tags. */
        public Builder ethType(int ethType) {
            this.ethTypeOverride = ethType;
            return this;
        }

        /** Appends {@code bytes} zero bytes after the IP packet, as Ethernet padding does. */
        public Builder ethernetPadding(int bytes) {
            this.padding = bytes;
            return this;
        }

        // ------------------------------------------------------------------------------------------ IP

        /** IPv4 TOS or IPv6 traffic class. */
        public Builder tos(int tos) {
            this.tos = tos;
            return this;
        }

        /** IPv4 TTL or IPv6 hop limit. */
        public Builder ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        /** IPv4 identification. */
        public Builder ipId(int id) {
            requireIpv4("ipId");
            this.ipId = id;
            return this;
        }

        /** Sets IPv4's don't-fragment flag. */
        public Builder dontFragment() {
            requireIpv4("dontFragment");
            this.dontFragment = true;
            return this;
        }

        /** Makes this an IPv4 fragment: more-fragments flag and offset in 8-byte units. */
        public Builder fragment(boolean more, int offset8) {
            requireIpv4("fragment");
            this.moreFragments = more;
            this.fragmentOffset8 = offset8;
            return this;
        }

        /** IPv6 flow label. */
        public Builder flowLabel(int label) {
            requireIpv6("flowLabel");
            this.flowLabel = label;
            return this;
        }

        /** IPv4 options, padded with end-of-options bytes to a multiple of 4. */
        public Builder ipv4Options(byte[] options) {
            requireIpv4("ipv4Options");
            this.ipOptions = pad4(options);
            return this;
        }

        /** Writes {@code proto} into the IPv4 protocol / last IPv6 next-header field instead of the L4's number. */
        public Builder ipProto(int proto) {
            this.protoOverride = proto;
            return this;
        }

        /** Adds an IPv6 hop-by-hop options header (8 bytes, one PadN option), as scapy's default one. */
        public Builder hopByHop() {
            return extHeader(0, fromHex("00 00 01 04 00 00 00 00"));
        }

        /** Adds an IPv6 destination options header (8 bytes, one PadN option). */
        public Builder destinationOptions() {
            return extHeader(60, fromHex("00 00 01 04 00 00 00 00"));
        }

        /** Adds an IPv6 routing header of type 0 with no addresses (8 bytes). */
        public Builder routingHeader() {
            return extHeader(43, fromHex("00 00 00 00 00 00 00 00"));
        }

        /** Adds an IPv6 authentication header with a 4-byte ICV (16 bytes). */
        public Builder authenticationHeader() {
            return extHeader(51, fromHex("00 02 00 00 00 00 01 00 00 00 00 01 00 00 00 00"));
        }

        /**
         * Adds an IPv6 fragment header: {@code offset8} in 8-byte units, the more-fragments flag and an identification.
         * Offset 0 without more-fragments is an atomic fragment (RFC 6946).
         */
        public Builder fragmentHeader(int offset8, boolean more, int id) {
            byte[] h = new byte[8];
            put16(h, 2, (offset8 << 3) | (more ? 1 : 0));
            put32(h, 4, id);
            return extHeader(44, h);
        }

        /** Adds any IPv6 extension header: its type and bytes, whose first byte (next header) is filled in. */
        public Builder extHeader(int type, byte[] bytes) {
            requireIpv6("extension headers");
            extHeaders.add(new ExtHeader(type, bytes.clone()));
            return this;
        }

        // ------------------------------------------------------------------------------------------ L4

        /** A TCP header from {@code sport} to {@code dport}. */
        public Builder tcp(int sport, int dport) {
            this.l4 = L4.TCP;
            this.sport = sport;
            this.dport = dport;
            return this;
        }

        /** A UDP header from {@code sport} to {@code dport}. */
        public Builder udp(int sport, int dport) {
            this.l4 = L4.UDP;
            this.sport = sport;
            this.dport = dport;
            return this;
        }

        /** An ICMPv4 header of {@code type} and {@code code}; the 4 bytes after the checksum are 0. */
        public Builder icmp(int type, int code) {
            this.l4 = L4.ICMP;
            this.icmpType = type;
            this.icmpCode = code;
            return this;
        }

        /** An ICMPv4 echo-style message ({@code type} 8, 0, 13, 14, 15, 16) with identifier and sequence. */
        public Builder icmpEcho(int type, int id, int sequence) {
            icmp(type, 0);
            this.icmpRest = (id << 16) | (sequence & 0xffff);
            return this;
        }

        /** An ICMPv6 header of {@code type} and {@code code}; the 4 bytes after the checksum are 0. */
        public Builder icmpv6(int type, int code) {
            this.l4 = L4.ICMPV6;
            this.icmpType = type;
            this.icmpCode = code;
            return this;
        }

        /** An ICMPv6 echo request (128) or reply (129) with identifier and sequence. */
        public Builder icmpv6Echo(int type, int id, int sequence) {
            icmpv6(type, 0);
            this.icmpRest = (id << 16) | (sequence & 0xffff);
            return this;
        }

        /** The 4 ICMP/ICMPv6 header bytes after the checksum (identifier/sequence, MTU, gateway, unused). */
        public Builder icmpRestOfHeader(int rest) {
            requireL4("icmpRestOfHeader", L4.ICMP, L4.ICMPV6);
            this.icmpRest = rest;
            return this;
        }

        /** No L4 header: the payload follows the IP header as is, under protocol {@code proto}. */
        public Builder raw(int proto) {
            this.l4 = L4.NONE;
            this.protoOverride = proto;
            return this;
        }

        /** TCP flags ({@link #SYN} | {@link #ACK} ...). */
        public Builder flags(int flags) {
            requireL4("flags", L4.TCP);
            this.tcpFlags = flags;
            return this;
        }

        /** TCP sequence number (u32). */
        public Builder seq(long seq) {
            requireL4("seq", L4.TCP);
            this.seq = (int) seq;
            return this;
        }

        /** TCP acknowledgement number (u32); does not set the ACK flag. */
        public Builder ack(long ack) {
            requireL4("ack", L4.TCP);
            this.ack = (int) ack;
            return this;
        }

        /** TCP window (u16, before any scaling). */
        public Builder window(int window) {
            requireL4("window", L4.TCP);
            this.window = window;
            return this;
        }

        /** TCP urgent pointer. */
        public Builder urgentPointer(int pointer) {
            requireL4("urgentPointer", L4.TCP);
            this.urgentPointer = pointer;
            return this;
        }

        /** Appends a TCP window-scale option (kind 3, length 3) with {@code shift}. */
        public Builder windowScale(int shift) {
            return tcpOption(new byte[] {3, 3, (byte) shift});
        }

        /** Appends a TCP maximum-segment-size option (kind 2). */
        public Builder mss(int mss) {
            return tcpOption(new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss});
        }

        /** Appends a TCP SACK-permitted option (kind 4). */
        public Builder sackPermitted() {
            return tcpOption(new byte[] {4, 2});
        }

        /** Appends a TCP no-operation option (kind 1). */
        public Builder nop() {
            return tcpOption(new byte[] {1});
        }

        /** Appends raw TCP option bytes; the whole list is padded to a multiple of 4 at build time. */
        public Builder tcpOption(byte[] option) {
            requireL4("TCP options", L4.TCP);
            byte[] o = Arrays.copyOf(tcpOptions, tcpOptions.length + option.length);
            System.arraycopy(option, 0, o, tcpOptions.length, option.length);
            this.tcpOptions = o;
            return this;
        }

        /** The bytes after the L4 header (or after the IP header for {@link #raw(int)}). */
        public Builder payload(byte[] payload) {
            this.payload = payload.clone();
            return this;
        }

        /** The payload as US-ASCII text. */
        public Builder payload(String text) {
            return payload(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        // ------------------------------------------------------------------------------------------ knobs

        /** Writes {@code value} as the IPv4 header checksum. */
        public Builder ipChecksum(int value) {
            requireIpv4("ipChecksum");
            this.ipChecksum = value;
            return this;
        }

        /** Writes a wrong IPv4 header checksum. */
        public Builder corruptIpChecksum() {
            requireIpv4("corruptIpChecksum");
            this.corruptIpChecksum = true;
            return this;
        }

        /** Writes {@code value} as the TCP/UDP/ICMP/ICMPv6 checksum (0 means "none" for UDP over IPv4). */
        public Builder l4Checksum(int value) {
            this.l4Checksum = value;
            return this;
        }

        /** Writes a wrong TCP/UDP/ICMP/ICMPv6 checksum, never 0. */
        public Builder corruptL4Checksum() {
            this.corruptL4Checksum = true;
            return this;
        }

        /** Writes {@code length} as the IPv4 total length. */
        public Builder ipTotalLength(int length) {
            requireIpv4("ipTotalLength");
            this.ipTotalLength = length;
            return this;
        }

        /** Writes {@code words} as the IPv4 header length (IHL) without changing the bytes that follow. */
        public Builder ipHeaderLengthWords(int words) {
            requireIpv4("ipHeaderLengthWords");
            this.ihlWords = words;
            return this;
        }

        /** Writes {@code version} into the version nibble of the IP header. */
        public Builder ipVersion(int version) {
            this.versionOverride = version;
            return this;
        }

        /** Writes {@code length} as the IPv6 payload length. */
        public Builder ipv6PayloadLength(int length) {
            requireIpv6("ipv6PayloadLength");
            this.ipv6PayloadLength = length;
            return this;
        }

        /** Writes {@code length} as the UDP length (the checksum still covers every L4 byte). */
        public Builder udpLength(int length) {
            requireL4("udpLength", L4.UDP);
            this.udpLength = length;
            return this;
        }

        /** Writes {@code words} as the TCP data offset without changing the bytes that follow. */
        public Builder tcpDataOffsetWords(int words) {
            requireL4("tcpDataOffsetWords", L4.TCP);
            this.tcpDataOffsetWords = words;
            return this;
        }

        // ------------------------------------------------------------------------------------------ build

        /** The Ethernet frame. */
        public byte[] build() {
            byte[] ip = buildIp();
            int tags = vlanTcis.size() * 4;
            byte[] f = new byte[ETH_HEADER_LEN + tags + ip.length + padding];
            putMac(f, 0, macDst);
            putMac(f, 6, macSrc);
            int p = 12;
            for (int tci : vlanTcis) {
                put16(f, p, ETH_TYPE_VLAN);
                put16(f, p + 2, tci);
                p += 4;
            }
            int ethType = ethTypeOverride != null ? ethTypeOverride : ipVersion == 4 ? ETH_TYPE_IPV4 : ETH_TYPE_IPV6;
            put16(f, p, ethType);
            System.arraycopy(ip, 0, f, p + 2, ip.length);
            return f;
        }

        /** The IP packet alone (no Ethernet header), e.g. to quote it in an ICMP error. */
        public byte[] buildIp() {
            int proto = protoOverride != null ? protoOverride : protoOf(l4);
            byte[] seg = l4Bytes();
            return ipVersion == 4 ? ipv4Packet(proto, seg) : ipv6Packet(proto, seg);
        }

        private byte[] ipv4Packet(int proto, byte[] seg) {
            int hlen = 20 + ipOptions.length;
            byte[] p = new byte[hlen + seg.length];
            int ihl = ihlWords != null ? ihlWords : hlen / 4;
            int version = versionOverride != null ? versionOverride : 4;
            p[0] = (byte) ((version << 4) | (ihl & 0x0f));
            p[1] = (byte) tos;
            put16(p, 2, ipTotalLength != null ? ipTotalLength : p.length);
            put16(p, 4, ipId);
            put16(p, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset8 & 0x1fff));
            p[8] = (byte) ttl;
            p[9] = (byte) proto;
            System.arraycopy(src, 0, p, 12, 4);
            System.arraycopy(dst, 0, p, 16, 4);
            System.arraycopy(ipOptions, 0, p, 20, ipOptions.length);
            int csum = checksum(p, 0, hlen);
            if (ipChecksum != null) {
                csum = ipChecksum;
            } else if (corruptIpChecksum) {
                csum = corrupt(csum);
            }
            put16(p, 10, csum);
            System.arraycopy(seg, 0, p, hlen, seg.length);
            fillL4Checksum(p, hlen, seg.length, proto, 4);
            return p;
        }

        private byte[] ipv6Packet(int proto, byte[] seg) {
            int extLen = 0;
            for (ExtHeader h : extHeaders) {
                extLen += h.bytes().length;
            }
            byte[] p = new byte[40 + extLen + seg.length];
            int version = versionOverride != null ? versionOverride : 6;
            put32(p, 0, (version << 28) | ((tos & 0xff) << 20) | (flowLabel & 0xfffff));
            put16(p, 4, ipv6PayloadLength != null ? ipv6PayloadLength : extLen + seg.length);
            p[6] = (byte) (extHeaders.isEmpty() ? proto : extHeaders.get(0).type());
            p[7] = (byte) ttl;
            System.arraycopy(src, 0, p, 8, 16);
            System.arraycopy(dst, 0, p, 24, 16);
            int q = 40;
            for (int i = 0; i < extHeaders.size(); i++) {
                byte[] h = extHeaders.get(i).bytes();
                System.arraycopy(h, 0, p, q, h.length);
                p[q] = (byte) (i + 1 < extHeaders.size() ? extHeaders.get(i + 1).type() : proto);
                q += h.length;
            }
            System.arraycopy(seg, 0, p, q, seg.length);
            fillL4Checksum(p, q, seg.length, proto, 6);
            return p;
        }

        /** The L4 header and payload with a zero checksum. */
        private byte[] l4Bytes() {
            switch (l4) {
                case TCP: {
                    byte[] opts = pad4(tcpOptions);
                    int hlen = 20 + opts.length;
                    byte[] s = new byte[hlen + payload.length];
                    put16(s, 0, sport);
                    put16(s, 2, dport);
                    put32(s, 4, seq);
                    put32(s, 8, ack);
                    int off = tcpDataOffsetWords != null ? tcpDataOffsetWords : hlen / 4;
                    s[12] = (byte) (off << 4);
                    s[13] = (byte) tcpFlags;
                    put16(s, 14, window);
                    put16(s, 18, urgentPointer);
                    System.arraycopy(opts, 0, s, 20, opts.length);
                    System.arraycopy(payload, 0, s, hlen, payload.length);
                    return s;
                }
                case UDP: {
                    byte[] s = new byte[8 + payload.length];
                    put16(s, 0, sport);
                    put16(s, 2, dport);
                    put16(s, 4, udpLength != null ? udpLength : s.length);
                    System.arraycopy(payload, 0, s, 8, payload.length);
                    return s;
                }
                case ICMP:
                case ICMPV6: {
                    byte[] s = new byte[8 + payload.length];
                    s[0] = (byte) icmpType;
                    s[1] = (byte) icmpCode;
                    put32(s, 4, icmpRest);
                    System.arraycopy(payload, 0, s, 8, payload.length);
                    return s;
                }
                default:
                    return payload.clone();
            }
        }

        /** Computes and writes the L4 checksum of the segment at {@code p[off, off+len)}. */
        private void fillL4Checksum(byte[] p, int off, int len, int proto, int version) {
            int at;
            switch (l4) {
                case TCP:
                    at = 16;
                    break;
                case UDP:
                    at = 6;
                    break;
                case ICMP:
                case ICMPV6:
                    at = 2;
                    break;
                default:
                    return;
            }
            long sum;
            if (l4 == L4.ICMP) {
                sum = 0;
            } else if (version == 4) {
                sum = sum(0, p, 12, 8) + proto + len;
            } else {
                sum = sum(0, p, 8, 32) + proto + len;
            }
            int csum = finish(sum(sum, p, off, len));
            if (l4 == L4.UDP && csum == 0) {
                csum = 0xffff;
            }
            if (l4Checksum != null) {
                csum = l4Checksum;
            } else if (corruptL4Checksum) {
                csum = corrupt(csum);
            }
            put16(p, off + at, csum);
        }

        private void requireIpv4(String what) {
            if (ipVersion != 4) {
                throw new IllegalStateException(what + " is for IPv4 packets");
            }
        }

        private void requireIpv6(String what) {
            if (ipVersion != 6) {
                throw new IllegalStateException(what + " is for IPv6 packets");
            }
        }

        private void requireL4(String what, L4... kinds) {
            for (L4 k : kinds) {
                if (l4 == k) {
                    return;
                }
            }
            throw new IllegalStateException(what + " needs " + Arrays.toString(kinds) + " first, not " + l4);
        }

        private int protoOf(L4 kind) {
            switch (kind) {
                case TCP:
                    return PROTO_TCP;
                case UDP:
                    return PROTO_UDP;
                case ICMP:
                    return PROTO_ICMP;
                case ICMPV6:
                    return PROTO_ICMPV6;
                default:
                    throw new IllegalStateException("no L4 header: call tcp(), udp(), icmp(), icmpv6() or raw(proto)");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** A checksum that is wrong for the same data, and never 0 (which would mean "no checksum" to UDP over IPv4). */
    private static int corrupt(int good) {
        int bad = good ^ 0x5555;
        return bad == 0 ? 0x1111 : bad;
    }

    private static long sum(long sum, byte[] b, int off, int len) {
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        return sum;
    }

    private static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static byte[] pad4(byte[] b) {
        return Arrays.copyOf(b, (b.length + 3) & ~3);
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static void putMac(byte[] b, int i, String mac) {
        String[] parts = mac.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
        for (int j = 0; j < 6; j++) {
            b[i + j] = (byte) Integer.parseInt(parts[j], 16);
        }
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            a[i] = (byte) v;
        }
        return a;
    }

    private static byte[] parseIpv6(String s) {
        if (s.indexOf(':') < 0) {
            throw new IllegalArgumentException("not an IPv6 address: " + s);
        }
        try {
            // A literal with a colon is parsed, never resolved.
            byte[] a = InetAddress.getByName(s).getAddress();
            if (a.length == 16) {
                return a;
            }
            // Java turns ::ffff:a.b.c.d into an IPv4 address; rebuild the mapped form.
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(a, 0, m, 12, 4);
            return m;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + s, e);
        }
    }
}
