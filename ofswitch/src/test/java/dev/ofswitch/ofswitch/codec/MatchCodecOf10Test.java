package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The OpenFlow 1.0 {@code ofp_match} decoder reads every field at its offset (dl_type at 22, nw_tos at 24, nw_proto
 * at 25), and the encoder writes it back to the same 40 bytes. The matches are the ones {@code ovs-ofctl add-flow}
 * (no {@code -O}) sends as a plain OFPT_FLOW_MOD.
 */
class MatchCodecOf10Test {
    private static final int OFPFW10_IN_PORT = 1;
    private static final int OFPFW10_DL_VLAN = 1 << 1;
    private static final int OFPFW10_DL_SRC = 1 << 2;
    private static final int OFPFW10_DL_DST = 1 << 3;
    private static final int OFPFW10_TP_SRC = 1 << 6;
    private static final int OFPFW10_DL_VLAN_PCP = 1 << 20;

    /** An ofp10_match with the given wildcards and fields (all others zero). */
    private static byte[] match(int wildcards, int dlType, int tos, int proto, long nwSrc, long nwDst, int tpSrc,
                                int tpDst) {
        ByteBuf b = Unpooled.buffer(MatchCodec.OF10_MATCH_LEN);
        b.writeInt(wildcards).writeShort(0).writeZero(6).writeZero(6).writeShort(0).writeByte(0).writeByte(0)
                .writeShort(dlType).writeByte(tos).writeByte(proto).writeShort(0)
                .writeInt((int) nwSrc).writeInt((int) nwDst).writeShort(tpSrc).writeShort(tpDst);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static Map<String, String> fields(Match m) {
        Map<String, String> out = new TreeMap<>();
        for (MatchEntry e : m.entries()) {
            out.put(e.field().name(), Long.toHexString(e.value()) + (e.isMasked() ? "/" + Long.toHexString(e.mask())
                    : ""));
        }
        return out;
    }

    private static Match decode(byte[] raw) {
        ByteBuf b = Unpooled.wrappedBuffer(raw);
        Match m = MatchCodec.decodeOf10(b);
        assertEquals(MatchCodec.OF10_MATCH_LEN, b.readerIndex(), "decoder consumed the whole ofp_match");
        return m;
    }

    private static byte[] encode(Match m) {
        ByteBuf b = Unpooled.buffer();
        MatchCodec.encodeOf10(b, m.entries());
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void decode_ipNwSrc_fromOvsOfctl() {
        // ovs-ofctl add-flow 'priority=5,ip,nw_src=10.0.0.1,actions=...' (golden c00, OF1.0): wildcards 0x003800ef.
        byte[] raw = Hex.decode("003800ef 0000 000000000000 000000000000 0000 00 00 0800 00 00 0000"
                + " 0a000001 00000000 0000 0000");
        Match m = decode(raw);
        assertEquals(Map.of("ETH_TYPE", "800", "IPV4_SRC", "a000001"), fields(m));
        assertArrayEquals(raw, encode(m), "re-encoded");
    }

    @Test
    void decode_tcpWithTosPrefixAndPorts() {
        int wc = OFPFW10_IN_PORT | OFPFW10_DL_VLAN | OFPFW10_DL_SRC | OFPFW10_DL_DST | OFPFW10_DL_VLAN_PCP
                | (8 << 8);     // nw_src /24, nw_dst exact
        byte[] raw = match(wc, 0x0800, 0x10, 6, 0x0a000100L, 0x0a000002L, 1024, 80);
        Match m = decode(raw);
        assertEquals(Map.of("ETH_TYPE", "800", "NW_TOS", "10", "IP_PROTO", "6", "IPV4_SRC", "a000100/ffffff00",
                "IPV4_DST", "a000002", "TCP_SRC", "400", "TCP_DST", "50"), fields(m));
        assertArrayEquals(raw, encode(m), "re-encoded");
    }

    @Test
    void decode_udpDstOnly() {
        int wc = OFPFW10_IN_PORT | OFPFW10_DL_VLAN | OFPFW10_DL_SRC | OFPFW10_DL_DST | OFPFW10_DL_VLAN_PCP
                | OFPFW10_TP_SRC | (1 << 21) /* nw_tos */ | (32 << 8) | (32 << 14);
        Match m = decode(match(wc, 0x0800, 0, 17, 0, 0, 0, 53));
        assertEquals(Map.of("ETH_TYPE", "800", "IP_PROTO", "11", "UDP_DST", "35"), fields(m));
        assertNull(m.get(MatchField.UDP_SRC));
    }

    @Test
    void decode_arpOpAndAddresses() {
        int wc = OFPFW10_IN_PORT | OFPFW10_DL_VLAN | OFPFW10_DL_SRC | OFPFW10_DL_DST | OFPFW10_DL_VLAN_PCP
                | (1 << 21) | (0x3 << 6);
        Match m = decode(match(wc, 0x0806, 0, 1, 0x0a000001L, 0x0a000002L, 0, 0));
        assertEquals(Map.of("ETH_TYPE", "806", "ARP_OP", "1", "ARP_SPA", "a000001", "ARP_TPA", "a000002"), fields(m));
    }
}
