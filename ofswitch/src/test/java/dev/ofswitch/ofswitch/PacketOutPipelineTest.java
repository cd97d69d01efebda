package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.concat;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PACKET_OUT with {@code actions=output:TABLE} through a four-table pipeline, over a raw OpenFlow 1.3 connection (no
 * external tools): the frames that leave each port (read back from the classic pcaps) and the packet-ins (decoded
 * here: table, cookie, reason, the OXM metadata match, the frame) are what ovs-vswitchd 3.1 produces for the same
 * flows and packet-outs (checked side by side; the modified TCP frame and its checksums are OVS's bytes).
 *
 * <pre>
 * table 0: in_port=1,ip    -> reg0=5, write_metadata 0xab/0xff, goto 1
 *          in_port=3       -> reg1=7, goto 2
 *          (priority 0)    -> drop
 * table 1: udp             -> output:2, goto 2
 *          tcp             -> ip_dst=10.9.9.9, output:3, goto 3
 * table 2: udp,udp_dst=53  -> controller                     cookie 0x1234
 *          in_port=3 (20)  -> output:IN_PORT, controller      cookie 0x77
 * table 3: tcp             -> tcp_dst=99, controller, output:4 cookie 0x3
 * </pre>
 */
class PacketOutPipelineTest {
    static final String UDP = OvsOfctlOf13Test.UDP;
    /** 54-byte TCP SYN 10.0.0.1:1024 -> 10.0.0.2:80 (TCP checksum left 0). */
    static final String TCP = "505400000002505400000001080045000028000100004006" + "7cbc" + "0a0000010a000002"
            + "04000050000000000000000050022000" + "0000" + "0000";
    /** TCP after ip_dst=10.9.9.9 (output on port 3), then also tcp_dst=99 (port 4 and the packet-in), as OVS. */
    static final String TCP_TO_P3 = "50540000000250540000000108004500002800010000400673ac0a0000010a090909"
            + "04000050000000000000000050022000f6ef0000";
    static final String TCP_TO_P4 = "50540000000250540000000108004500002800010000400673ac0a0000010a090909"
            + "04000063000000000000000050022000f6dc0000";

    static final int OFPP_CONTROLLER = 0xfffffffd;
    static final int OFPP_TABLE = 0xfffffff9;
    static final int OFPP_IN_PORT = 0xfffffff8;

    @TempDir
    Path dir;
    LiveSwitch s;
    OfClient c;

    @BeforeEach
    void start() throws IOException {
        s = LiveSwitch.start(dir, 4);
        c = OfClient.connect(s.port, OfClient.OF13);
        // A service connection gets packet-ins only once it sets a miss_send_len.
        c.send(OfClient.setConfig(OfClient.OF13, c.xid(), 0, 0xffff));
        c.send(flow(0, 10, 0, concat(inPort(1), ethType(0x0800)), concat(
                applyActions(setField(hex("00010004 00000005"))),                   // reg0 = 5
                hex("0002 0018 00000000 00000000000000ab 00000000000000ff"),        // write_metadata
                gotoTable(1))));
        c.send(flow(0, 10, 0, inPort(3), concat(applyActions(setField(hex("00010204 00000007"))), gotoTable(2))));
        c.send(flow(0, 0, 0, new byte[0], new byte[0]));
        c.send(flow(1, 10, 0, concat(ethType(0x0800), ipProto(17)), concat(applyActions(output13(2)),
                gotoTable(2))));
        c.send(flow(1, 10, 0, concat(ethType(0x0800), ipProto(6)), concat(applyActions(concat(
                setField(hex("80001804 0a090909")), output13(3))), gotoTable(3))));
        c.send(flow(2, 10, 0x1234, concat(ethType(0x0800), ipProto(17), hex("80002002 0035")),
                applyActions(output13(OFPP_CONTROLLER))));
        c.send(flow(2, 20, 0x77, inPort(3), applyActions(concat(output13(OFPP_IN_PORT), output13(OFPP_CONTROLLER)))));
        c.send(flow(3, 10, 0x3, concat(ethType(0x0800), ipProto(6)), applyActions(concat(
                setField(hex("80001c02 0063")), output13(OFPP_CONTROLLER), output13(4)))));
        assertEquals(List.of(), c.barrier(), "flows installed without errors");
        assertEquals(8, s.sw.flowTables().all().size());
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        s.close();
    }

    private byte[] flow(int table, int priority, long cookie, byte[] oxms, byte[] instructions) {
        byte[] fm = OfClient.flowMod13(c.xid(), table, 0, priority, oxms, instructions);
        ByteBuffer.wrap(fm).putLong(8, cookie);
        return fm;
    }

    static byte[] inPort(int port) {
        return ByteBuffer.allocate(8).putInt(0x80000004).putInt(port).array();
    }

    static byte[] ethType(int type) {
        return ByteBuffer.allocate(6).putInt(0x80000a02).putShort((short) type).array();
    }

    static byte[] ipProto(int proto) {
        return ByteBuffer.allocate(5).putInt(0x80001401).put((byte) proto).array();
    }

    static byte[] gotoTable(int table) {
        return ByteBuffer.allocate(8).putShort((short) 1).putShort((short) 8).put((byte) table).array();
    }

    /** OFPAT_SET_FIELD with one OXM, padded to 8 bytes. */
    static byte[] setField(byte[] oxm) {
        int len = (4 + oxm.length + 7) / 8 * 8;
        return ByteBuffer.allocate(len).putShort((short) 25).putShort((short) len).put(oxm).array();
    }

    private byte[] packetOut(int inPort, String frame) {
        return OfClient.packetOut13(c.xid(), inPort, output13(OFPP_TABLE), hex(frame));
    }

    /** What an OF1.3 OFPT_PACKET_IN says: the fixed fields, the match as {field -> value hex}, the frame. */
    record PacketIn(int totalLen, int reason, int tableId, long cookie, Map<String, String> match, String frame) {
        static PacketIn of(OfClient.Msg m) {
            assertEquals(OfClient.PACKET_IN, m.type(), m.toString());
            assertEquals(0xffffffffL, m.u32(8), "buffer_id: unbuffered");
            int matchLen = m.u16(26);
            assertEquals(1, m.u16(24), "OFPMT_OXM");
            Map<String, String> fields = new LinkedHashMap<>();
            for (int at = 28; at < 24 + matchLen; ) {
                int header = (int) m.u32(at);
                int len = header & 0xff;
                String name = switch (header >>> 9) {
                    case 0x8000 << 7 | 0 -> "in_port";
                    case 0x8000 << 7 | 2 -> "metadata";
                    case 0x0001 << 7 | 0 -> "reg0";
                    case 0x0001 << 7 | 1 -> "reg1";
                    default -> "oxm" + Integer.toHexString(header);
                };
                fields.put(name, HexFormat.of().formatHex(m.bytes(), at + 4, at + 4 + len));
                at += 4 + len;
            }
            int data = 24 + (matchLen + 7) / 8 * 8 + 2;
            return new PacketIn(m.u16(12), m.u8(14), m.u8(15), m.u64(16), fields,
                    HexFormat.of().formatHex(m.from(data)));
        }
    }

    private List<String> frames(int port) throws IOException {
        return Pcap.frames(s.txPcap(port));
    }

    @Test
    void udpFromPort1_goesThroughTables012_outPort2_packetInWithMetadata() throws IOException {
        c.send(packetOut(1, UDP));
        List<OfClient.Msg> got = c.barrier();
        assertEquals(1, got.size(), got.toString());
        assertEquals(new PacketIn(42, 1, 2, 0x1234, Map.of("in_port", "00000001", "reg0", "00000005",
                "metadata", "00000000000000ab"), UDP), PacketIn.of(got.get(0)));
        assertEquals(List.of(UDP), frames(2));
        assertEquals(List.of(), frames(1));
        assertEquals(List.of(), frames(3));
        assertEquals(List.of(), frames(4));
    }

    @Test
    void fromPort3_skipsToTable2_outInPort_packetInWithReg1() throws IOException {
        c.send(packetOut(3, UDP));
        List<OfClient.Msg> got = c.barrier();
        assertEquals(1, got.size(), got.toString());
        assertEquals(new PacketIn(42, 1, 2, 0x77, Map.of("in_port", "00000003", "reg1", "00000007"), UDP),
                PacketIn.of(got.get(0)));
        assertEquals(List.of(UDP), frames(3), "output:IN_PORT sends it back out of port 3");
        assertEquals(List.of(), frames(2));
    }

    @Test
    void tcpFromPort1_rewrittenOnTheWay_framesAndPacketInCarryTheRewrites() throws IOException {
        c.send(packetOut(1, TCP));
        List<OfClient.Msg> got = c.barrier();
        assertEquals(1, got.size(), got.toString());
        assertEquals(new PacketIn(54, 1, 3, 0x3, Map.of("in_port", "00000001", "reg0", "00000005",
                "metadata", "00000000000000ab"), TCP_TO_P4), PacketIn.of(got.get(0)));
        assertEquals(List.of(TCP_TO_P3), frames(3));
        assertEquals(List.of(TCP_TO_P4), frames(4));
        assertEquals(List.of(), frames(2));
    }

    @Test
    void tableMiss_andInPortController_dropWithoutPacketIn() throws IOException {
        c.send(packetOut(2, UDP), packetOut(OFPP_CONTROLLER, UDP), packetOut(4, TCP));
        assertEquals(List.of(), c.barrier(), "priority-0 drop: no packet-in, no error");
        for (int p = 1; p <= 4; p++) {
            assertEquals(List.of(), frames(p), "port " + p);
        }
        // The counters saw them: table 0's drop flow matched three packets.
        long dropped = s.sw.flowTables().all().stream().filter(e -> e.tableId() == 0 && e.priority() == 0)
                .findFirst().orElseThrow().packets();
        assertEquals(3, dropped);
    }

    @Test
    void secondConnectionWithoutMissSendLen_getsNoPacketIn() throws IOException {
        try (OfClient quiet = OfClient.connect(s.port, OfClient.OF13)) {
            c.send(packetOut(1, UDP));
            assertEquals(1, c.barrier().size());
            assertEquals(List.of(), quiet.barrier(), "a service connection with miss_send_len 0 gets no async");
        }
    }
}
