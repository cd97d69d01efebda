package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.ErrorMessages;
import dev.ofswitch.ofswitch.codec.FlowMod;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenFlow bundles over a real socket, in OpenFlow 1.3 (ONF experimenter messages 2300/2301), 1.4 and 1.5 (OFPT 33/34):
 * the control replies, every OFPBFC_* error OVS 3.1 sends with its exact bytes, commits that apply all of a bundle or
 * none of it, and the connection staying up after each error. Every expectation was checked against ovs-vswitchd 3.1:
 * {@code mvn -o -pl ofswitch test -Dtest=BundleSocketTest -Dofswitch.against=ovs} runs the class against it
 * ({@link LiveSwitch}), except the idle timeout, which needs this switch's clock.
 */
class BundleSocketTest {
    static final int OF13 = 4;
    static final int OF14 = 5;
    static final int OF15 = 6;
    static final int OPEN = 0;
    static final int CLOSE = 2;
    static final int COMMIT = 4;
    static final int DISCARD = 6;
    static final int ATOMIC_ORDERED = 3;
    /** OF1.3 OFPAT_GROUP to group 5. */
    static final byte[] GROUP_5 = OfClient.hex("0016000800000005");

    @TempDir
    Path dir;
    LiveSwitch s;
    ControllableClock clock;

    @BeforeEach
    void start() throws IOException {
        clock = ControllableClock.manual(1_000_000_000_000L);
        s = LiveSwitch.start(dir, 4, clock);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    // ------------------------------------------------------------------------------------------ messages

    /** A BUNDLE_CONTROL: OF1.4's OFPT 33, or OF1.3's ONF experimenter 2300, with {@code extra} property bytes. */
    static byte[] control(int version, int xid, int bundleId, int type, int flags, byte[] extra) {
        ByteBuffer body = ByteBuffer.allocate(8 + extra.length).putInt(bundleId).putShort((short) type)
                .putShort((short) flags).put(extra);
        return framed(version, xid, 2300, 33, body.array());
    }

    static byte[] control(int version, int xid, int bundleId, int type, int flags) {
        return control(version, xid, bundleId, type, flags, new byte[0]);
    }

    /** A BUNDLE_ADD_MESSAGE carrying {@code inner} as it is. */
    static byte[] add(int version, int xid, int bundleId, int flags, byte[] inner) {
        ByteBuffer body = ByteBuffer.allocate(8 + inner.length).putInt(bundleId).putShort((short) 0)
                .putShort((short) flags).put(inner);
        return framed(version, xid, 2301, 34, body.array());
    }

    private static byte[] framed(int version, int xid, int onfType, int type, byte[] body) {
        byte[] head = version == OF13
                ? concat(OfClient.header(version, OfClient.EXPERIMENTER, 0, xid),
                        ByteBuffer.allocate(8).putInt(0x4f4e4600).putInt(onfType).array())
                : OfClient.header(version, type, 0, xid);
        return OfClient.withLength(concat(head, body));
    }

    /** The reply the switch owes a control request: same version, xid and bundle, {@code type}, no flags. */
    static String reply(int version, int xid, int bundleId, int type) {
        byte[] body = ByteBuffer.allocate(8).putInt(bundleId).putShort((short) type).putShort((short) 0).array();
        return HexFormat.of().formatHex(framed(version, xid, 2300, 33, body));
    }

    /** The OFPT_ERROR answering {@code request} (the encoding itself is checked against OVS by ErrorCodeTest). */
    static String error(ErrorCode code, byte[] request) {
        ByteBuf b = ErrorMessages.encode(ByteBufAllocator.DEFAULT, code, Unpooled.wrappedBuffer(request));
        try {
            return io.netty.buffer.ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    /** A FLOW_MOD as {@code ovs-ofctl} sends it, in {@code version} (1.3 and 1.4 share the layout), with {@code xid}. */
    static byte[] flowMod(int version, int xid, String flow, int command) {
        try {
            byte[] b = FlowLoader.parse(flow, command, Map.of()).flowMods().get(0).bytes().clone();
            b[0] = (byte) version;
            ByteBuffer.wrap(b).putInt(4, xid);
            return b;
        } catch (FlowLoader.FlowLoadException e) {
            throw new AssertionError(e);
        }
    }

    static Object instructions(String flow) {
        try {
            return FlowLoader.parse(flow, FlowMod.OFPFC_ADD, Map.of()).flowMods().get(0).flowMod().instructions();
        } catch (FlowLoader.FlowLoadException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] addFlow(int version, int xid, String flow) {
        return flowMod(version, xid, flow, FlowMod.OFPFC_ADD);
    }

    /** OFPGC_ADD of an empty group 5 of type all (OF1.3/1.4 {@code ofp11_group_mod}). */
    static byte[] addGroup5(int version, int xid) {
        return OfClient.withLength(concat(OfClient.header(version, 15, 0, xid), OfClient.hex("0000000000000005")));
    }

    /** A PORT_MOD for port 1 (zero hw_addr, config and mask 0). */
    static byte[] portMod(int version, int xid) {
        byte[] body = version == OF13 ? new byte[32] : new byte[24];
        ByteBuffer.wrap(body).putInt(0, 1);
        return OfClient.withLength(concat(OfClient.header(version, 16, 0, xid), body));
    }

    /** Sends {@code messages}, then a barrier; returns the hex of everything answered before the barrier reply. */
    static List<String> exchange(OfClient c, byte[]... messages) throws IOException {
        c.send(messages);
        List<String> out = new ArrayList<>();
        for (OfClient.Msg m : c.barrier()) {
            out.add(m.hex());
        }
        return out;
    }

    /** The flows in the switch, "table=T priority=P" each, sorted: this switch's table or ovs-ofctl's dump of OVS. */
    List<String> flows() {
        List<String> out = new ArrayList<>();
        if (s.sw != null) {
            s.sw.flowTables().all().forEach(e -> out.add("table=" + e.tableId() + " priority=" + e.priority()));
        } else {
            for (String l : LiveSwitch.flows(s.ofctl("-O", "OpenFlow13", "dump-flows", "TARGET"))) {
                String table = l.replaceAll(".*table=(\\d+).*", "$1");
                String prio = l.matches(".*priority=\\d+.*") ? l.replaceAll(".*priority=(\\d+).*", "$1") : "32768";
                out.add("table=" + table + " priority=" + prio);
            }
        }
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------------------------------ control

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void openAddCloseCommit_installsTheBundle(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            assertEquals(List.of(reply(v, 10, 7, 1)), exchange(c, control(v, 10, 7, OPEN, ATOMIC_ORDERED)));
            assertEquals(List.of(), exchange(c, add(v, 11, 7, ATOMIC_ORDERED, addFlow(v, 11, "priority=10,ip,actions=drop")),
                    add(v, 12, 7, ATOMIC_ORDERED, addFlow(v, 12, "table=3,priority=20,tcp,actions=output:1"))));
            assertEquals(List.of(), flows(), "nothing before the commit");
            assertEquals(List.of(reply(v, 13, 7, 3), reply(v, 14, 7, 5)),
                    exchange(c, control(v, 13, 7, CLOSE, ATOMIC_ORDERED), control(v, 14, 7, COMMIT, ATOMIC_ORDERED)));
            assertEquals(List.of("table=0 priority=10", "table=3 priority=20"), flows());
            byte[] again = control(v, 15, 7, COMMIT, ATOMIC_ORDERED);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_ID, again)), exchange(c, again),
                    "a commit discards the bundle");
        }
    }

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void controlErrors_asOvs(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            byte[] open = control(v, 20, 1, OPEN, 3);
            byte[] dup = control(v, 21, 1, OPEN, 3);
            assertEquals(List.of(reply(v, 20, 1, 1), error(ErrorCode.OFPBFC_BAD_ID, dup), reply(v, 22, 1, 1)),
                    exchange(c, open, dup, control(v, 22, 1, OPEN, 3)), "a second OPEN discards the bundle");
            byte[] closeFlags = control(v, 23, 1, CLOSE, 1);
            byte[] closeGone = control(v, 24, 1, CLOSE, 3);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_FLAGS, closeFlags), error(ErrorCode.OFPBFC_BAD_ID, closeGone)),
                    exchange(c, closeFlags, closeGone), "other flags discard the bundle");
            byte[] close2 = control(v, 27, 2, CLOSE, 0);
            assertEquals(List.of(reply(v, 25, 2, 1), reply(v, 26, 2, 3), error(ErrorCode.OFPBFC_BUNDLE_CLOSED, close2)),
                    exchange(c, control(v, 25, 2, OPEN, 0), control(v, 26, 2, CLOSE, 0), close2));
            byte[] commitUnknown = control(v, 28, 2, COMMIT, 0);
            byte[] discardUnknown = control(v, 29, 9, DISCARD, 0);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_ID, commitUnknown),
                    error(ErrorCode.OFPBFC_BAD_ID, discardUnknown)), exchange(c, commitUnknown, discardUnknown));
            byte[] commitFlags = control(v, 31, 3, COMMIT, 2);
            byte[] commitGone = control(v, 32, 3, COMMIT, 1);
            assertEquals(List.of(reply(v, 30, 3, 1), error(ErrorCode.OFPBFC_BAD_FLAGS, commitFlags),
                    error(ErrorCode.OFPBFC_BAD_ID, commitGone)),
                    exchange(c, control(v, 30, 3, OPEN, 1), commitFlags, commitGone));
            byte[] replyType = control(v, 33, 4, 1, 0);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_TYPE, replyType), reply(v, 34, 4, 0)),
                    exchange(c, replyType, control(v, 34, 4, 8, 0)), "type 8 gets OVS's reply of type 0");
            assertEquals(List.of(reply(v, 35, 5, 1), reply(v, 36, 5, 7)),
                    exchange(c, control(v, 35, 5, OPEN, 0xffff), control(v, 36, 5, DISCARD, 0)),
                    "unknown flag bits are taken; DISCARD ignores the flags");
            byte[] ragged = control(v, 37, 6, OPEN, 0, new byte[4]);
            assertEquals(List.of(error(ErrorCode.OFPBRC_BAD_LEN, ragged), reply(v, 38, 6, 1)),
                    exchange(c, ragged, control(v, 38, 6, OPEN, 0, OfClient.hex("ffff000800000000"))),
                    "properties come in 8-byte units and are ignored");
            c.echo();
        }
    }

    // ------------------------------------------------------------------------------------------ add

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void addErrors_asOvs(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            byte[] fm = addFlow(v, 40, "priority=5,actions=drop");
            byte[] otherVersion = fm.clone();
            otherVersion[0] = (byte) (v == OF13 ? OF14 : OF13);
            byte[] badVersion = add(v, 40, 1, 0, otherVersion);
            byte[] empty = add(v, 41, 1, 0, new byte[0]);
            byte[] tooLong = add(v, 42, 1, 0, java.util.Arrays.copyOf(fm, fm.length - 8));
            byte[] otherXid = add(v, 43, 1, 0, fm);
            byte[] echo = add(v, 44, 1, 0, OfClient.header(v, OfClient.ECHO_REQUEST, 8, 44));
            byte[] ragged = add(v, 45, 1, 0, OfClient.withLength(concat(addFlow(v, 45, "priority=5,actions=drop"),
                    new byte[4])));
            byte[] badCommand = addFlow(v, 46, "priority=5,actions=drop");
            badCommand[25] = 9;
            byte[] undecodable = add(v, 46, 1, 0, badCommand);
            assertEquals(List.of(
                    error(ErrorCode.OFPBFC_BAD_VERSION, badVersion),
                    error(ErrorCode.OFPBFC_MSG_BAD_LEN, empty),
                    error(ErrorCode.OFPBFC_MSG_BAD_LEN, tooLong),
                    error(ErrorCode.OFPBFC_MSG_BAD_XID, otherXid),
                    error(ErrorCode.OFPBFC_MSG_UNSUP, echo),
                    error(ErrorCode.OFPBFC_MSG_UNSUP, ragged),
                    error(ErrorCode.OFPFMFC_BAD_COMMAND, undecodable)),
                    exchange(c, badVersion, empty, tooLong, otherXid, echo, ragged, undecodable));

            // An ADD opens the bundle; other flags discard it; a closed bundle refuses (and is discarded).
            byte[] flagsDiffer = add(v, 48, 1, 1, addFlow(v, 48, "priority=6,actions=drop"));
            byte[] toClosed = add(v, 51, 1, 1, addFlow(v, 51, "priority=8,actions=drop"));
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_FLAGS, flagsDiffer), reply(v, 50, 1, 3),
                    error(ErrorCode.OFPBFC_BUNDLE_CLOSED, toClosed)),
                    exchange(c, add(v, 47, 1, 0, addFlow(v, 47, "priority=5,actions=drop")), flagsDiffer,
                            add(v, 49, 1, 1, addFlow(v, 49, "priority=7,actions=drop")), control(v, 50, 1, CLOSE, 1),
                            toClosed));
            byte[] commit = control(v, 52, 1, COMMIT, 1);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_ID, commit)), exchange(c, commit));
            assertEquals(List.of(), flows());
            c.echo();
        }
    }

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void slave_refused(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            byte[] role = OfClient.roleRequest(60, 3, 1);
            role[0] = (byte) v;
            c.send(role);
            assertEquals(OfClient.ROLE_REPLY, c.read().type());
            byte[] open = control(v, 61, 1, OPEN, 0);
            byte[] addMsg = add(v, 62, 1, 0, new byte[0]);
            assertEquals(List.of(error(ErrorCode.OFPBRC_IS_SLAVE, open), error(ErrorCode.OFPBRC_IS_SLAVE, addMsg)),
                    exchange(c, open, addMsg), "before anything else is looked at");
        }
    }

    // ------------------------------------------------------------------------------------------ commit

    /**
     * Message 2 of 3 refers to a group that does not exist: its error goes out against its own ADD_MESSAGE (xid and
     * bytes), the COMMIT gets OFPBFC_MSG_FAILED, and the table is exactly as before, although message 1 had already
     * been applied in the commit and message 1 replaced an existing flow.
     */
    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void commit_failureInTheMiddle_changesNothing(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            assertEquals(List.of(), exchange(c, addFlow(v, 69, "priority=10,ip,actions=output:1")));
            List<String> before = flows();
            byte[] usesGroup5 = OfClient.flowMod13(71, 0, 0, 12, new byte[0], OfClient.applyActions(GROUP_5));
            usesGroup5[0] = (byte) v;
            byte[] second = add(v, 71, 1, 3, usesGroup5);
            byte[] commit = control(v, 73, 1, COMMIT, 3);
            assertEquals(List.of(error(ErrorCode.OFPBAC_BAD_OUT_GROUP, second), error(ErrorCode.OFPBFC_MSG_FAILED, commit)),
                    exchange(c, add(v, 70, 1, 3, addFlow(v, 70, "priority=10,ip,actions=output:2")), second,
                            add(v, 72, 1, 3, addFlow(v, 72, "priority=11,actions=drop")), commit));
            assertEquals(before, flows());
            if (s.sw != null) {
                assertEquals(instructions("priority=10,ip,actions=output:1"),
                        s.sw.flowTables().all().get(0).instructions(), "the flow message 1 replaced is back");
            }
            byte[] gone = control(v, 74, 1, COMMIT, 3);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_ID, gone)), exchange(c, gone), "discarded");
            c.echo();
        }
    }

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14})
    void commit_flowMayUseAGroupAddedEarlierInTheBundle(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            byte[] flow = OfClient.flowMod13(76, 0, 0, 12, new byte[0], OfClient.applyActions(GROUP_5));
            flow[0] = (byte) v;
            assertEquals(List.of(reply(v, 77, 2, 5)), exchange(c, add(v, 75, 2, 1, addGroup5(v, 75)),
                    add(v, 76, 2, 1, flow), control(v, 77, 2, COMMIT, 1)));
            assertEquals(List.of("table=0 priority=12"), flows());
        }
    }

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void commit_portModInAnAtomicBundleFails(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            byte[] pm = add(v, 80, 2, 1, portMod(v, 80));
            byte[] commit = control(v, 81, 2, COMMIT, 1);
            assertEquals(List.of(error(ErrorCode.OFPBFC_MSG_FAILED, pm), error(ErrorCode.OFPBFC_MSG_FAILED, commit)),
                    exchange(c, pm, commit));
        }
    }

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void commit_deleteAndModifyInOneBundle(int v) throws IOException {
        try (OfClient c = OfClient.connect(s.port, v)) {
            exchange(c, addFlow(v, 1, "priority=10,ip,actions=output:1"), addFlow(v, 2, "priority=20,udp,actions=drop"),
                    addFlow(v, 3, "table=1,priority=5,actions=drop"));
            assertEquals(List.of(reply(v, 93, 4, 5)), exchange(c,
                    add(v, 90, 4, 0, flowMod(v, 90, "udp", FlowMod.OFPFC_DELETE)),
                    add(v, 91, 4, 0, flowMod(v, 91, "ip,actions=output:3", FlowMod.OFPFC_MODIFY)),
                    add(v, 92, 4, 0, addFlow(v, 92, "priority=20,udp,actions=output:4")),
                    control(v, 93, 4, COMMIT, 0)));
            assertEquals(List.of("table=0 priority=10", "table=0 priority=20", "table=1 priority=5"), flows());
            if (s.sw != null) {
                assertEquals(List.of(instructions("actions=output:4"), instructions("actions=output:3"),
                        instructions("actions=drop")),
                        s.sw.flowTables().all().stream().map(e -> e.instructions()).toList());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ lifetime

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void bundles_belongToTheirConnection_andDieWithIt(int v) throws IOException {
        try (OfClient a = OfClient.connect(s.port, v); OfClient b = OfClient.connect(s.port, v)) {
            assertEquals(List.of(reply(v, 1, 1, 1)), exchange(a, control(v, 1, 1, OPEN, 0)));
            assertEquals(List.of(reply(v, 2, 1, 1)), exchange(b, control(v, 2, 1, OPEN, 0)), "same id, other connection");
            exchange(a, add(v, 3, 1, 0, addFlow(v, 3, "priority=3,actions=drop")));
            exchange(b, add(v, 4, 1, 0, addFlow(v, 4, "priority=4,actions=drop")));
            a.close();
            assertEquals(List.of(reply(v, 5, 1, 5)), exchange(b, control(v, 5, 1, COMMIT, 0)));
            assertEquals(List.of("table=0 priority=4"), flows(), "A's bundle went with A");
        }
    }

    @ParameterizedTest(name = "OpenFlow version {0}")
    @ValueSource(ints = {OF13, OF14, OF15})
    void idleBundle_timesOutAgainstTheMessageThatOpenedIt(int v) throws IOException {
        Assumptions.assumeTrue(s.sw != null, "needs this switch's clock (OVS: 10 s of real time)");
        try (OfClient c = OfClient.connect(s.port, v)) {
            byte[] opener = add(v, 1, 1, 0, addFlow(v, 1, "priority=3,actions=drop"));
            exchange(c, opener, control(v, 2, 2, OPEN, 0));
            clock.advanceNanos(5_000_000_000L);
            exchange(c, add(v, 3, 2, 0, addFlow(v, 3, "priority=4,actions=drop")));   // bundle 2 used again
            clock.advanceNanos(5_000_000_000L);
            s.sw.runTimers();
            assertEquals(List.of(error(ErrorCode.OFPBFC_TIMEOUT, opener)), exchange(c));
            clock.advanceNanos(5_000_000_000L);
            s.sw.runTimers();
            assertEquals(List.of(error(ErrorCode.OFPBFC_TIMEOUT, control(v, 2, 2, OPEN, 0))), exchange(c));
            byte[] commit = control(v, 4, 2, COMMIT, 0);
            assertEquals(List.of(error(ErrorCode.OFPBFC_BAD_ID, commit)), exchange(c, commit));
        }
    }
}
