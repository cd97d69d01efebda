package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.flowMod13;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session messages over raw OpenFlow connections: version negotiation, controller roles, the asynchronous-message
 * configuration and SET_CONFIG, each connection on its own. The expectations are ovs-vswitchd 3.1's (probed side by
 * side; {@code -Dofswitch.against=ovs} runs the class against it, except for the cases that differ because OVS also
 * speaks OpenFlow 1.1 and 1.2).
 */
class SessionTest {
    static final String UDP = OvsOfctlOf13Test.UDP;
    static final int OFPP_CONTROLLER = 0xfffffffd;
    static final long UNDEFINED_GENERATION = -1L;

    @TempDir
    Path dir;
    LiveSwitch s;

    @BeforeEach
    void start() throws IOException {
        s = LiveSwitch.start(dir, 4);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    // ------------------------------------------------------------------------------------------ negotiation

    /**
     * HELLO with header version {@code header} and a version bitmap ({@code -} for none): the session runs in the
     * highest common version, which the switch then answers in (a FEATURES_REQUEST gets a FEATURES_REPLY of that
     * version).
     */
    @ParameterizedTest(name = "header {0}, bitmap {1} -> version {2}")
    @CsvSource({
        "4, 0x10, 4",       // ovs-ofctl -O OpenFlow13
        "1, 0x02, 1",       // ovs-ofctl without -O
        "6, 0x12, 4",       // 1.0 and 1.3
        "6, 0x72, 6",       // 1.0, 1.3, 1.4, 1.5
        "4, 0x20, 5",       // the bitmap wins over the header
        "5, -, 5",          // no bitmap: every version up to the header's
        "7, -, 6",
        "4, 0x00, 4",       // an empty bitmap is ignored: the header's version stands
        "4, 0x11, 4",       // bit 0 is no version
    })
    void hello_highestCommonVersion(int header, String bitmap, int expected) throws IOException {
        try (OfClient c = OfClient.raw(s.port)) {
            c.send(bitmap.equals("-") ? OfClient.header(header, OfClient.HELLO, 8, 1)
                    : OfClient.hello(header, Integer.decode(bitmap)));
            OfClient.Msg hello = c.read();
            assertEquals(OfClient.HELLO, hello.type());
            if (!LiveSwitch.AGAINST_OVS) {
                assertEquals("0600001000000000" + "0001000800000072", hello.hex(),
                        "our HELLO: version 1.5 with the bitmap of 1.0, 1.3, 1.4, 1.5");
            }
            c.send(OfClient.header(expected, 5, 8, 0x77));     // FEATURES_REQUEST is type 5 in every version
            OfClient.Msg reply = c.read();
            assertEquals(6, reply.type(), reply.toString());
            assertEquals(expected, reply.version());
            assertEquals(0x77, reply.xid());
        }
    }

    @Test
    void hello_noCommonVersion_helloFailedThenClose() throws IOException {
        try (OfClient c = OfClient.raw(s.port)) {
            c.send(OfClient.hello(4, 1 << 7));
            assertEquals(OfClient.HELLO, c.read().type());
            OfClient.Msg err = c.read();
            assertEquals("0,0", err.error(), "OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE");
            assertEquals(1, err.version(), "in 1.0: OpenFlow has no version 0x07");
            String text = new String(err.from(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(text.contains("no common version"), text);
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void hello_only11And12_noCommonVersionWithThisSwitch() throws IOException {
        Assumptions.assumeFalse(LiveSwitch.AGAINST_OVS, "OVS speaks 1.1 and 1.2; this switch does not");
        try (OfClient c = OfClient.raw(s.port)) {
            c.send(OfClient.hello(3, (1 << 2) | (1 << 3)));
            assertEquals(OfClient.HELLO, c.read().type());
            OfClient.Msg err = c.read();
            assertEquals("0,0", err.error());
            assertEquals(3, err.version(), "in the peer's highest version");
            assertEquals("We support versions OpenFlow10, OpenFlow13, OpenFlow14, OpenFlow15, you support OpenFlow11,"
                    + " OpenFlow12, no common versions", new String(err.from(12),
                    java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void messageBeforeHello_closes() throws IOException {
        try (OfClient c = OfClient.raw(s.port)) {
            c.send(OfClient.header(4, OfClient.ECHO_REQUEST, 8, 5));
            // OVS closes silently; this switch first says HELLO_FAILED/EPERM. Both close.
            assertTrue(c.closedByPeer());
        }
    }

    // ------------------------------------------------------------------------------------------ roles

    private static OfClient.Msg role(OfClient c, int role, long generation) throws IOException {
        return c.request(OfClient.roleRequest(c.xid(), role, generation));
    }

    /** "role generation" of a ROLE_REPLY, or the error. */
    private static String roleOf(OfClient.Msg m) {
        if (m.type() == OfClient.ERROR) {
            return "error " + m.error();
        }
        assertEquals(OfClient.ROLE_REPLY, m.type(), m.toString());
        return m.u32(8) + " " + Long.toHexString(m.u64(16));
    }

    private byte[] controllerFlow(OfClient c) {
        return flowMod13(c.xid(), 0, 0, 10, PacketOutPipelineTest.inPort(1),
                applyActions(output13(OFPP_CONTROLLER)));
    }

    private byte[] packetOut(OfClient c) {
        return OfClient.packetOut13(c.xid(), 1, output13(0xfffffff9), hex(UDP));
    }

    @Test
    void roles_masterSlaveEqual_generationIds_andSlaveRefusals() throws IOException {
        try (OfClient a = OfClient.connect(s.port, 4); OfClient b = OfClient.connect(s.port, 4);
             OfClient c = OfClient.connect(s.port, 4)) {
            assertEquals("1 ffffffffffffffff", roleOf(role(a, 0, 0)), "equal, no generation id yet");
            assertEquals("2 5", roleOf(role(a, 2, 5)), "A master");
            assertEquals("2 6", roleOf(role(b, 2, 6)), "B master");
            // A lost the master role: OF1.3 ONFT_ROLE_STATUS (ONF experimenter 1911): slave, master_request, gen 6.
            OfClient.Msg status = a.readUntil(m -> m.type() == OfClient.EXPERIMENTER).get(0);
            assertEquals("040400200000000" + "04f4e46000000077700000003000000000000000000000006", status.hex());
            assertEquals("3 6", roleOf(role(a, 0, 0)), "A is a slave now");

            // A slave may not modify the switch, but everything else works.
            OfClient.Msg refused = a.request(controllerFlow(a));
            assertEquals("1,10", refused.error(), "OFPBRC_IS_SLAVE for a flow mod");
            assertEquals("1,10", a.request(packetOut(a)).error(), "OFPBRC_IS_SLAVE for a packet-out");
            assertEquals(List.of(), a.echo());
            a.send(OfClient.setConfig(4, a.xid(), 0, 0xffff));
            assertEquals(List.of(), a.barrier(), "SET_CONFIG is allowed to a slave");

            assertEquals("error 11,0", roleOf(role(a, 3, 4)), "OFPRRFC_STALE: 4 < 6");
            assertEquals("error 11,0", roleOf(role(a, 2, 5)), "OFPRRFC_STALE: 5 < 6");
            assertEquals("2 6", roleOf(role(a, 2, 6)), "the same generation id is not stale");
            b.readUntil(m -> m.type() == OfClient.EXPERIMENTER);
            assertEquals("3 6", roleOf(role(b, 0, 0)), "B was demoted");

            assertEquals("1 6", roleOf(role(c, 1, 0)), "C equal: generation id not checked");
            c.send(controllerFlow(c));
            assertEquals(List.of(), c.barrier(), "an equal may modify");
            assertEquals("error 11,2", roleOf(role(c, 7, 0)), "OFPRRFC_BAD_ROLE");
            assertEquals("1 6", roleOf(role(c, 0, 0)));
        }
    }

    /** Reads until a PACKET_IN arrives (skipping other messages), with the client's deadline. */
    private static OfClient.Msg awaitPacketIn(OfClient c) throws IOException {
        List<OfClient.Msg> got = c.readUntil(m -> m.type() == OfClient.PACKET_IN);
        return got.get(got.size() - 1);
    }

    private static boolean noPacketIn(OfClient c) throws IOException {
        return c.barrier().stream().noneMatch(m -> m.type() == OfClient.PACKET_IN);
    }

    @Test
    void slave_getsNoPacketIns_byDefaultAsyncConfig() throws IOException {
        try (OfClient master = OfClient.connect(s.port, 4); OfClient slave = OfClient.connect(s.port, 4)) {
            for (OfClient c : List.of(master, slave)) {
                c.send(OfClient.setConfig(4, c.xid(), 0, 0xffff));
            }
            master.request(OfClient.roleRequest(master.xid(), 2, 1));
            slave.request(OfClient.roleRequest(slave.xid(), 3, 1));
            assertEquals(List.of(), master.barrier());
            master.send(controllerFlow(master), packetOut(master));
            OfClient.Msg pin = awaitPacketIn(master);
            assertEquals(42, pin.u16(12), "total_len");
            assertTrue(noPacketIn(slave), "a slave's default packet-in mask is empty");
        }
    }

    // ------------------------------------------------------------------------------------------ async config

    private static String asyncOf(OfClient c) throws IOException {
        OfClient.Msg r = c.request(OfClient.header(4, OfClient.GET_ASYNC_REQUEST, 8, c.xid()));
        assertEquals(OfClient.GET_ASYNC_REPLY, r.type(), r.toString());
        return HexFormat.of().formatHex(r.from(8));
    }

    @Test
    void getSetAsync_perConnection_andItDecidesWhoGetsPacketIns() throws IOException {
        try (OfClient a = OfClient.connect(s.port, 4); OfClient b = OfClient.connect(s.port, 4)) {
            // packet-in master/slave, port-status master/slave, flow-removed master/slave.
            String defaults = "00000003" + "00000000" + "00000007" + "00000007" + "0000000f" + "00000000";
            assertEquals(defaults, asyncOf(a));
            a.send(ByteBuffer.allocate(32).put(OfClient.header(4, OfClient.SET_ASYNC, 32, a.xid()))
                    .putInt(0).putInt(0).putInt(5).putInt(6).putInt(7).putInt(8).array());
            assertEquals(List.of(), a.barrier());
            assertEquals("00000000" + "00000000" + "00000005" + "00000006" + "00000007" + "00000008", asyncOf(a));
            assertEquals(defaults, asyncOf(b), "the other connection keeps its own configuration");

            for (OfClient c : List.of(a, b)) {
                c.send(OfClient.setConfig(4, c.xid(), 0, 0xffff));
                assertEquals(List.of(), c.barrier());      // done before the other connection's packet-out
            }
            b.send(controllerFlow(b), packetOut(b));
            assertEquals(1, awaitPacketIn(b).u8(14), "reason action");
            assertTrue(noPacketIn(a), "A masked out packet-ins for the reason 'action'");
        }
    }

    /** OpenFlow 1.4+'s property form (found by OpenFlowSessionFuzzTest: both messages failed with an exception). */
    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {5, 6})
    void getSetAsync_of14_propertiesAsOvsWritesAndChecksThem(int version) throws IOException {
        try (OfClient c = OfClient.connect(s.port, version)) {
            // Slave then master per kind: packet-in, port status, flow removed, role status, table status,
            // requestforward; OVS 3.1's defaults.
            assertEquals("00000008 00000000 00010008 0000003b 00020008 00000007 00030008 00000007 00040008 00000000 "
                    + "00050008 0000003f 00060008 00000000 00070008 00000000 00080008 00000000 00090008 00000000 "
                    + "000a0008 00000000 000b0008 00000000", spaced(asyncOf(c, version)));
            c.send(setAsync(version, c.xid(), "0000000800000001 0001000800000021 0007000800000007 0009000800000018"
                    + " 000b000800000003"));
            assertEquals(List.of(), c.barrier());
            assertEquals("00000008 00000001 00010008 00000021 00020008 00000007 00030008 00000007 00040008 00000000 "
                    + "00050008 0000003f 00060008 00000000 00070008 00000007 00080008 00000000 00090008 00000018 "
                    + "000a0008 00000000 000b0008 00000003", spaced(asyncOf(c, version)));
            // Refused, and nothing changes: a mask with a reason the kind lacks, an unknown type, a property of
            // another length, one that overruns the message, an experimenter's.
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("0001000800000040", "15,0");
            refused.put("000c000800000000", "15,1");
            refused.put("0001000c000000000000000000000000", "14,1");
            refused.put("00010004", "1,6");
            refused.put("fffe0010000023200000000000000000", "14,6");
            for (Map.Entry<String, String> r : refused.entrySet()) {
                OfClient.Msg err = c.request(setAsync(version, c.xid(), "000b000800000000 " + r.getKey()));
                assertEquals(r.getValue(), err.error(), r.getKey());
            }
            assertTrue(spaced(asyncOf(c, version)).endsWith("000b0008 00000003"), "unchanged");
        }
    }

    private static String asyncOf(OfClient c, int version) throws IOException {
        OfClient.Msg r = c.request(OfClient.header(version, OfClient.GET_ASYNC_REQUEST, 8, c.xid()));
        assertEquals(OfClient.GET_ASYNC_REPLY, r.type(), r.toString());
        return HexFormat.of().formatHex(r.from(8));
    }

    private static byte[] setAsync(int version, int xid, String properties) {
        return OfClient.withLength(OfClient.concat(OfClient.header(version, OfClient.SET_ASYNC, 0, xid),
                OfClient.hex(properties)));
    }

    private static String spaced(String hex) {
        return hex.replaceAll("(.{8})(?!$)", "$1 ");
    }

    // ------------------------------------------------------------------------------------------ SET_CONFIG

    private static String configOf(OfClient c) throws IOException {
        OfClient.Msg r = c.request(OfClient.header(c.version(), OfClient.GET_CONFIG_REQUEST, 8, c.xid()));
        assertEquals(OfClient.GET_CONFIG_REPLY, r.type(), r.toString());
        return "flags=" + r.u16(8) + " miss_send_len=" + r.u16(10);
    }

    @Test
    void setConfig_missSendLenPerConnection() throws IOException {
        try (OfClient a = OfClient.connect(s.port, 4); OfClient b = OfClient.connect(s.port, 4);
             OfClient old = OfClient.connect(s.port, 1)) {
            assertEquals("flags=0 miss_send_len=0", configOf(a), "a service connection starts at 0");
            a.send(OfClient.setConfig(4, a.xid(), 0, 100));
            old.send(OfClient.setConfig(1, old.xid(), 0, 0xffe5));
            assertEquals("flags=0 miss_send_len=100", configOf(a));
            assertEquals("flags=0 miss_send_len=0", configOf(b), "B is not affected");
            assertEquals("flags=0 miss_send_len=65509", configOf(old));

            a.send(controllerFlow(a), packetOut(a));
            OfClient.Msg pin = awaitPacketIn(a);
            // OVS 3.1 buffers nothing and sends the whole frame whatever miss_send_len or max_len say.
            assertEquals(UDP, HexFormat.of().formatHex(pin.from(pin.length() - 42)));
            assertTrue(noPacketIn(b), "miss_send_len 0: a service connection gets no packet-ins");
            OfClient.Msg pin10 = awaitPacketIn(old);
            assertEquals(10, pin10.type(), "OpenFlow 1.0 OFPT_PACKET_IN");
            assertEquals(UDP, HexFormat.of().formatHex(pin10.from(18)));

            b.send(OfClient.setConfig(4, b.xid(), 0, 0xffff));
            assertEquals(List.of(), b.barrier());          // done before A's packet-out
            a.send(packetOut(a));
            assertEquals(42, awaitPacketIn(b).u16(12));
        }
    }
}
