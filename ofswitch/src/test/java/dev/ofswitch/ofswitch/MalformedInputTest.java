package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.concat;
import static dev.ofswitch.ofswitch.OfClient.flowMod13;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed input through a real socket, one case per test, from a small OpenFlow 1.3 client. Each bad message must
 * get the OFPT_ERROR that ovs-vswitchd 3.1 sends for it (type, code, version, xid and the whole request as data; each
 * expectation was taken from a running OVS on a raw socket, and {@code -Dofswitch.against=ovs} runs this class against
 * one), the connection must stay up (an echo and a barrier after it are answered) and the flow table must not change.
 * Only a length below 8 loses the framing and closes the connection.
 */
class MalformedInputTest {
    /** ip -> output:2, the flow every test starts with. */
    static final byte[] ETH_IP = hex("80000a02 0800");

    @TempDir
    Path dir;
    LiveSwitch s;
    OfClient c;
    byte[] flowsBefore;

    @BeforeEach
    void start() throws IOException {
        s = LiveSwitch.start(dir, 4);
        c = OfClient.connect(s.port, OfClient.OF13);
        c.send(flowMod13(c.xid(), 0, 0, 100, ETH_IP, applyActions(output13(2))));
        assertEquals(List.of(), c.barrier());
        flowsBefore = flowTable();
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        s.close();
    }

    /** The OFPMP_FLOW reply for all tables with the durations zeroed: equal iff the flow table is the same. */
    private byte[] flowTable() throws IOException {
        int xid = c.xid();
        ByteBuffer req = ByteBuffer.allocate(56)
                .put(OfClient.header(OfClient.OF13, OfClient.MULTIPART_REQUEST, 56, xid))
                .putShort((short) 1).putShort((short) 0).putInt(0)
                .put((byte) 0xff).put(new byte[3]).putInt(-1).putInt(-1).putInt(0).putLong(0).putLong(0)
                .putShort((short) 1).putShort((short) 4).putInt(0);
        OfClient.Msg reply = c.request(req.array());
        assertEquals(OfClient.MULTIPART_REPLY, reply.type(), reply.toString());
        byte[] body = reply.from(16);
        for (int at = 0; at < body.length; at += ByteBuffer.wrap(body).getShort(at) & 0xffff) {
            for (int i = 4; i < 12; i++) {
                body[at + i] = 0;       // duration_sec, duration_nsec
            }
        }
        assertTrue(body.length > 0, "the baseline flow is there");
        return body;
    }

    /**
     * Sends {@code request}, expects exactly one OFPT_ERROR "{@code typeCode}" in {@code version} echoing the whole
     * request with its xid, then checks that the connection still answers an echo and a barrier and that the flow
     * table is as before.
     */
    private void assertRefused(byte[] request, int version, String typeCode) throws IOException {
        assertRefused(c, request, version, typeCode);
    }

    /** As {@link #assertRefused(byte[], int, String)}, sent on {@code client} (of the request's version). */
    private void assertRefused(OfClient client, byte[] request, int version, String typeCode) throws IOException {
        client.send(request);
        List<OfClient.Msg> got = client.barrier();
        assertEquals(1, got.size(), "one reply: " + got);
        OfClient.Msg err = got.get(0);
        assertEquals(OfClient.ERROR, err.type(), err.toString());
        assertEquals(typeCode, err.error(), err.toString());
        assertEquals(version, err.version(), "error version");
        assertEquals(ByteBuffer.wrap(request).getInt(4), err.xid(), "error xid");
        assertEquals(HexFormat.of().formatHex(request), HexFormat.of().formatHex(err.from(12)),
                "the error carries the whole request");
        assertStillUpAndUnchanged();
    }

    private void assertStillUpAndUnchanged() throws IOException {
        assertEquals(List.of(), c.echo(), "nothing else before the echo reply");
        assertEquals(List.of(), c.barrier());
        assertArrayEquals(flowsBefore, flowTable(), "the flow table did not change");
    }

    // ------------------------------------------------------------------------------------------ framing

    @Test
    void truncatedFlowMod_badLen() throws IOException {
        assertRefused(concat(OfClient.header(4, OfClient.FLOW_MOD, 16, 0x11), new byte[8]), 4, "1,6");
    }

    @Test
    void flowModOfHeaderOnly_badLen() throws IOException {
        assertRefused(OfClient.header(4, OfClient.FLOW_MOD, 8, 0x12), 4, "1,6");
    }

    @Test
    void flowModCutShortInsideItsInstruction_instructionBadLen() throws IOException {
        byte[] full = flowMod13(0x13, 0, 0, 5, ETH_IP, applyActions(output13(3)));
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 16);
        assertRefused(OfClient.withLength(cut), 4, "3,7");      // OFPBIC_BAD_LEN: the instruction overruns the message
    }

    @Test
    void lengthBelow8_closesTheConnection() throws IOException {
        c.send(hex("04 02 0004 00000014"));
        assertTrue(c.closedByPeer(), "framing is lost: the switch closes the connection");
        reconnectAndCheckFlows();
    }

    @Test
    void lengthZero_closesTheConnection() throws IOException {
        c.send(hex("04 14 0000 00000015"));
        assertTrue(c.closedByPeer());
        reconnectAndCheckFlows();
    }

    private void reconnectAndCheckFlows() throws IOException {
        c.close();
        c = OfClient.connect(s.port, OfClient.OF13);
        assertStillUpAndUnchanged();
    }

    @Test
    void lengthAboveWhatWasSent_waitsForTheRest() throws IOException {
        // An echo request whose header says 16 bytes, sent as 12 bytes, then the last 4 with a barrier behind it:
        // the switch must wait and answer the whole echo, not an error.
        int barrierXid = c.xid();
        c.send(hex("04 02 0010 00000016 aabbccdd"));
        c.send(concat(hex("11223344"), OfClient.header(4, OfClient.BARRIER_REQUEST, 8, barrierXid)));
        List<OfClient.Msg> got = c.readUntil(m -> m.xid() == barrierXid);
        assertEquals(2, got.size(), got.toString());
        assertEquals("040300100000001" + "6aabbccdd11223344", got.get(0).hex());
        assertStillUpAndUnchanged();
    }

    @Test
    void flowModOneByteAtATime_isAssembled() throws IOException {
        byte[] fm = flowMod13(0x17, 0, 0, 7, concat(ETH_IP, hex("80001401 11")), applyActions(output13(3)));
        for (byte b : fm) {
            c.send(new byte[] {b});
        }
        assertEquals(List.of(), c.barrier());
        assertTrue(flowTable().length > flowsBefore.length, "the flow was added");
    }

    // ------------------------------------------------------------------------------------------ message types

    @Test
    void unknownMessageType_badType() throws IOException {
        assertRefused(OfClient.header(4, 40, 8, 0x18), 4, "1,1");
    }

    @Test
    void messageType255_badType() throws IOException {
        assertRefused(hex("04ff 0010 00000019 0102030405060708"), 4, "1,1");
    }

    @Test
    void unknownExperimenter_badExperimenter() throws IOException {
        assertRefused(hex("0404 0010 0000001a 0000abcd 00000001"), 4, "1,3");
    }

    @Test
    void unknownNiciraSubtype_badSubtype() throws IOException {
        assertRefused(hex("0404 0010 0000001b 00002320 00000063"), 4, "1,4");
    }

    @Test
    void experimenterShorterThanItsHeader_badLen() throws IOException {
        assertRefused(hex("0404 000c 0000001c 00002320"), 4, "1,6");
    }

    @Test
    void replyFromThePeer_badType() throws IOException {
        assertRefused(concat(OfClient.header(4, 6, 32, 0x1d), new byte[24]), 4, "1,1");   // FEATURES_REPLY
    }

    @Test
    void secondHello_badType() throws IOException {
        assertRefused(OfClient.hello(4, 1 << 4), 4, "1,1");
    }

    // ------------------------------------------------------------------------------------------ versions

    @Test
    void wrongVersion_badVersionInTheRequestsVersion() throws IOException {
        assertRefused(OfClient.header(1, 18, 8, 0x1e), 1, "1,0");       // an OpenFlow 1.0 barrier
    }

    @Test
    void wrongVersionFlowMod_badVersion() throws IOException {
        byte[] fm = flowMod13(0x1f, 0, 0, 9, ETH_IP, applyActions(output13(3)));
        fm[0] = 6;     // OpenFlow 1.5 on an OpenFlow 1.3 connection
        assertRefused(fm, 6, "1,0");
    }

    @Test
    void unknownVersion_badVersionIn10() throws IOException {
        assertRefused(OfClient.header(7, OfClient.BARRIER_REQUEST, 8, 0x20), 1, "1,0");
    }

    @Test
    void echoOfAnotherVersion_answeredInThatVersion() throws IOException {
        c.send(hex("0102 000c 00000021 cafe0001"));
        List<OfClient.Msg> got = c.barrier();
        assertEquals(1, got.size(), got.toString());
        assertEquals("0103000c00000021cafe0001", got.get(0).hex());
        assertStillUpAndUnchanged();
    }

    // ------------------------------------------------------------------------------------------ multipart

    /** Found by OpenFlowSessionFuzzTest: the multipart type was read past the end. */
    @Test
    void multipartRequestWithoutItsType_badLen() throws IOException {
        assertRefused(hex("0412000a 00000041 000d"), 4, "1,6");
    }

    /** Found by OpenFlowSessionFuzzTest: Loxi's reader threw a NullPointerException on these table features. */
    @Test
    void tableFeaturesRequestThatDoesNotParse_badLen() throws IOException {
        assertRefused(hex("0412003f 00000040 000c0000 00000000 04000010 00000003 00010008 00000010 04120010 00000004"
                + "000d0000 00000000 04000010 00000005 00010008 000000"), 4, "1,6");
    }

    // ------------------------------------------------------------------------------------------ matches

    @Test
    void oxmWithWrongLengthForItsField_badField() throws IOException {
        assertRefused(flowMod13(0x22, 0, 0, 5, hex("80000a03 080000"), applyActions(output13(3))), 4, "4,6");
    }

    @Test
    void oxmShorterThanItsField_badField() throws IOException {
        assertRefused(flowMod13(0x23, 0, 0, 5, concat(ETH_IP, hex("80001602 0a00")), applyActions(output13(3))), 4,
                "4,6");
    }

    @Test
    void oxmOverrunningTheMatch_badLen() throws IOException {
        assertRefused(flowMod13(0x24, 0, 0, 5, hex("80000a08 0800"), applyActions(output13(3))), 4, "4,1");
    }

    @Test
    void oxmWithoutPrerequisite_badPrereq() throws IOException {
        assertRefused(flowMod13(0x25, 0, 0, 5, hex("80001604 0a000001"), applyActions(output13(3))), 4, "4,9");
    }

    // ------------------------------------------------------------------------------------------ actions, instructions

    @Test
    void unknownActionInOtherwiseValidFlow_badType() throws IOException {
        byte[] actions = concat(output13(3), hex("0063 0008 00000000"));
        assertRefused(flowMod13(0x26, 0, 0, 5, ETH_IP, applyActions(actions)), 4, "2,0");
    }

    @Test
    void outputToAnInvalidPort_badOutPort() throws IOException {
        byte[] out = output13(0xffffff00);
        assertRefused(flowMod13(0x27, 0, 0, 5, ETH_IP, applyActions(out)), 4, "2,4");
    }

    @Test
    void actionWithBadLength_actionBadLen() throws IOException {
        byte[] actions = hex("0000 000c 00000002 ffff0000 00000000");   // output of length 12, padded to 16
        assertRefused(flowMod13(0x28, 0, 0, 5, ETH_IP, applyActions(actions)), 4, "2,1");
    }

    @Test
    void instructionLengthNotAMultipleOf8_badLen() throws IOException {
        byte[] actions = hex("0000 000c 00000002 ffff0000 0000000000000000");   // apply-actions of 28 bytes
        assertRefused(flowMod13(0x2d, 0, 0, 5, ETH_IP, applyActions(actions)), 4, "1,6");
    }

    @Test
    void actionOfLength0_actionBadLen() throws IOException {
        byte[] actions = hex("0000 0000 00000002 ffff0000 00000000");
        assertRefused(flowMod13(0x2c, 0, 0, 5, ETH_IP, applyActions(actions)), 4, "2,1");
    }

    @Test
    void unknownInstruction_unknownInst() throws IOException {
        assertRefused(flowMod13(0x29, 0, 0, 5, ETH_IP, hex("0009 0008 00000000")), 4, "3,0");
    }

    @Test
    void gotoTableBackwards_badTableId() throws IOException {
        assertRefused(flowMod13(0x2a, 2, 0, 5, ETH_IP, hex("0001 0008 01000000")), 4, "3,2");
    }

    @Test
    void instructionOfLength4_badLen() throws IOException {
        assertRefused(flowMod13(0x2b, 0, 0, 5, ETH_IP, hex("00010004")), 4, "1,6");
    }

    // ------------------------------------------------------------------------------------------ read-only table 254

    /** NXM_NX_REG0 (an OXM of class 0x0001 in OpenFlow 1.3) = {@code value}. */
    private static byte[] reg0(int value) {
        return ByteBuffer.allocate(8).putInt(0x00010004).putInt(value).array();
    }

    /** Sends {@code request} and expects no reply at all, then checks nothing changed. */
    private void assertAcceptedWithoutEffect(byte[] request) throws IOException {
        c.send(request);
        assertEquals(List.of(), c.barrier(), "accepted");
        assertStillUpAndUnchanged();
    }

    @Test
    void addToTable254_eperm() throws IOException {
        assertRefused(flowMod13(0x50, 254, 0, 5, ETH_IP, applyActions(output13(3))), 4, "1,5");
    }

    /** OVS refuses before it checks the buffer id and the group the flow names (neither exists). */
    @Test
    void addToTable254WithAMissingGroupAndBuffer_epermFirst() throws IOException {
        byte[] fm = flowMod13(0x51, 254, 0, 5, ETH_IP, applyActions(hex("0016 0008 00000005")));
        ByteBuffer.wrap(fm).putInt(32, 5);     // buffer_id
        assertRefused(fm, 4, "1,5");
    }

    @Test
    void modifyAndModifyStrictOfTable254_epermEvenWhenNothingMatches() throws IOException {
        assertRefused(flowMod13(0x52, 254, 1, 5, ETH_IP, applyActions(output13(3))), 4, "1,5");
        assertRefused(flowMod13(0x53, 254, 2, 7, reg0(9), applyActions(output13(3))), 4, "1,5");
    }

    /** A delete that selects one of OVS's own flows of table 254 (see ReadOnlyTable) is refused. */
    @Test
    void deleteSelectingOvsInternalFlows_eperm() throws IOException {
        assertRefused(flowMod13(0x54, 254, 3, 0, new byte[0], new byte[0]), 4, "1,5");
        assertRefused(flowMod13(0x55, 254, 3, 0, reg0(1), new byte[0]), 4, "1,5");
        assertRefused(flowMod13(0x56, 254, 4, 0, reg0(2), new byte[0]), 4, "1,5");
        byte[] toController = flowMod13(0x57, 254, 3, 0, new byte[0], new byte[0]);
        ByteBuffer.wrap(toController).putInt(36, 0xfffffffd);     // out_port CONTROLLER: the reg0=0x1 flow
        assertRefused(toController, 4, "1,5");
    }

    @Test
    void deleteOfTable254SelectingNone_accepted() throws IOException {
        assertAcceptedWithoutEffect(flowMod13(0x58, 254, 3, 0, ETH_IP, new byte[0]));
        assertAcceptedWithoutEffect(flowMod13(0x59, 254, 3, 0, reg0(5), new byte[0]));
        assertAcceptedWithoutEffect(flowMod13(0x5a, 254, 4, 2, new byte[0], new byte[0]));
        assertAcceptedWithoutEffect(flowMod13(0x5b, 254, 4, 7, reg0(2), new byte[0]));
        byte[] withOutGroup = flowMod13(0x5c, 254, 3, 0, new byte[0], new byte[0]);
        ByteBuffer.wrap(withOutGroup).putInt(40, 1);
        assertAcceptedWithoutEffect(withOutGroup);
        byte[] toController = flowMod13(0x5d, 254, 3, 0, reg0(2), new byte[0]);
        ByteBuffer.wrap(toController).putInt(36, 0xfffffffd);
        assertAcceptedWithoutEffect(toController);
    }

    // ------------------------------------------------------------------------------------------ port mods

    /** Port 1's entry of the OpenFlow 1.3 port description: {@code ofp_port}, 64 bytes. */
    private ByteBuffer port1() throws IOException {
        OfClient.Msg reply = c.request(concat(OfClient.header(OfClient.OF13, OfClient.MULTIPART_REQUEST, 16, 0x60),
                hex("000d0000 00000000")));
        byte[] body = reply.from(16);
        for (int at = 0; at < body.length; at += 64) {
            if (ByteBuffer.wrap(body).getInt(at) == 1) {
                return ByteBuffer.wrap(body, at, 64).slice();
            }
        }
        throw new AssertionError("no port 1 in " + reply);
    }

    /**
     * A PORT_MOD in {@code version}: {@code hwAddr}, config and mask, then (1.0 to 1.3) advertise 0 and padding, or
     * (1.4+) {@code props} as they are.
     */
    private static byte[] portMod(int version, int xid, int port, byte[] hwAddr, int config, int mask, byte[] props) {
        ByteBuffer b = ByteBuffer.allocate(48 + props.length).put(OfClient.header(version, version == 1 ? 15 : 16, 0,
                xid));
        if (version == OfClient.OF10) {
            b.putShort((short) port).put(hwAddr).putInt(config).putInt(mask).putInt(0).putInt(0);
        } else {
            b.putInt(port).putInt(0).put(hwAddr).putShort((short) 0).putInt(config).putInt(mask);
            if (version == OfClient.OF13) {
                b.putInt(0).putInt(0);
            }
        }
        b.put(props);
        return OfClient.withLength(Arrays.copyOf(b.array(), b.position()));
    }

    /** OFPPMPT14_ETHERNET advertising nothing. */
    private static final byte[] ETHERNET_PROP = hex("0000 0008 00000000");

    /** OVS port_mod_start(): the hw_addr must be the port's, in every version; nothing of the request is applied. */
    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {1, 4, 5, 6})
    void portModWithAnotherHwAddr_badHwAddrAndNothingChanges(int version) throws IOException {
        ByteBuffer p1 = port1();
        byte[] hw = new byte[6];
        p1.get(8, hw);
        int config = p1.getInt(32);
        byte[] props = version >= 5 ? ETHERNET_PROP : new byte[0];
        byte[] wrong = hw.clone();
        wrong[5] ^= 1;
        try (OfClient v = OfClient.connect(s.port, version)) {
            assertRefused(v, portMod(version, 0x61, 1, wrong, config ^ 1, 1, props), version,
                    version == 1 ? "4,1" : "7,1");
            assertEquals(config, port1().getInt(32), "port 1's config did not change");
            assertRefused(v, portMod(version, 0x62, 99, wrong, 0, 0, props), version, version == 1 ? "4,0" : "7,0");
            v.send(portMod(version, 0x63, 1, hw, 0, 0, props));
            assertEquals(List.of(), v.barrier(), "its own hw_addr is accepted");
        }
    }

    @Test
    void portMod13WithTrailingBytes_badLen() throws IOException {
        byte[] hw = new byte[6];
        port1().get(8, hw);
        assertRefused(portMod(4, 0x64, 1, hw, 0, 0, new byte[8]), 4, "1,6");
    }

    /**
     * OpenFlow 1.4+ PORT_MOD properties as OVS ofputil_decode_port_mod() pulls them: a length that is not 32 plus a
     * multiple of 8 is OFPBRC_BAD_LEN (before the port is looked at), a property that does not frame OFPBPC_BAD_LEN.
     */
    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {5, 6})
    void portMod14Properties_asOvsPullsThem(int version) throws IOException {
        byte[] hw = new byte[6];
        port1().get(8, hw);
        String[][] cases = {
            {"0000 0008 00000000 0000", "1,6"},                     // 2 trailing bytes
            {"0000 0008 00000000 00000000", "1,6"},                 // 4 trailing bytes
            {"0000 0008 00000000 0000000000000000", "14,1"},        // then a property of length 0
            {"0000 000c 00000000 00000000 00000000", "14,1"},       // ethernet property of 8 bytes
            {"0000 0003 00000000", "14,1"},                         // length below 4
            {"0000 0010 00000000", "14,1"},                         // length past the end
            {"0005 0008 00000000", "14,0"},                         // unknown type
            {"0001 0008 00000000", "14,0"},                         // optical (1.5): not supported
            {"ffff 000c 00002320 00000000 00000000", "14,6"},       // Nicira experimenter
            {"ffff 000c 00123456 00000000 00000000", "14,6"},       // unknown experimenter
            {"ffff 0008 00002320", "14,1"},                         // experimenter without exp_type
        };
        try (OfClient v = OfClient.connect(s.port, version)) {
            int xid = 0x70;
            for (String[] k : cases) {
                assertRefused(v, portMod(version, xid++, 1, hw, 0, 0, hex(k[0])), version, k[1]);
            }
            assertRefused(v, portMod(version, xid, 99, hw, 0, 0, hex("0000 0008 00000000 0000")), version, "1,6");
        }
    }

    @Test
    void badMessagesInARow_eachGetsItsErrorInOrder() throws IOException {
        List<byte[]> bad = new ArrayList<>(List.of(
                OfClient.header(4, 40, 8, 0x30),
                flowMod13(0x31, 0, 0, 5, hex("80000a03 080000"), applyActions(output13(3))),
                hex("0404 0010 00000032 0000abcd 00000001"),
                flowMod13(0x33, 0, 0, 5, ETH_IP, hex("0009 0008 00000000"))));
        c.send(bad.toArray(new byte[0][]));
        List<OfClient.Msg> got = c.barrier();
        List<String> errors = new ArrayList<>();
        for (OfClient.Msg m : got) {
            errors.add(Integer.toHexString(m.xid()) + ":" + m.error());
        }
        assertEquals(List.of("30:1,1", "31:4,6", "32:1,3", "33:3,0"), errors);
        assertStillUpAndUnchanged();
    }
}
