package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.concat;
import static dev.ofswitch.ofswitch.OfClient.flowMod13;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code NXAST_WRITE_METADATA} that ends an OpenFlow 1.3 apply-actions list, through a real socket: OVS 3.1 takes
 * it as its write_metadata instruction (ofp-actions.c decodes it among the actions, {@code ofpacts_verify()} accepts it
 * last), answers flow stats with a standard OFPIT_WRITE_METADATA (and no apply-actions when nothing else was in it),
 * and refuses it anywhere else in the list, or with a clear-actions, write-actions or second write_metadata after it
 * (OFPBAC_UNSUPPORTED_ORDER), and in a write-actions (OFPBAC_BAD_TYPE). Expectations taken from ovs-vswitchd 3.1 on a raw socket; {@code -Dofswitch.against=ovs}
 * runs this class against one ({@link LiveSwitch}).
 */
class WriteMetadataInApplyActionsTest {
    /** nx_action_write_metadata: metadata 0x5, mask 0xff. */
    static final byte[] NX_WRITE_METADATA = hex("ffff 0020 00002320 0016 000000000000 0000000000000005 00000000000000ff");
    /** OFPIT_GOTO_TABLE 3. */
    static final byte[] GOTO_3 = hex("0001 0008 03000000");

    @TempDir
    Path dir;
    LiveSwitch s;
    OfClient c;

    @BeforeEach
    void start() throws IOException {
        s = LiveSwitch.start(dir, 4);
        c = OfClient.connect(s.port, OfClient.OF13);
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        s.close();
    }

    /** The OFPMP_FLOW reply body for table {@code table} with the durations zeroed (one ofp_flow_stats per flow). */
    private String flowStats(int table) throws IOException {
        ByteBuffer req = ByteBuffer.allocate(56)
                .put(OfClient.header(OfClient.OF13, OfClient.MULTIPART_REQUEST, 56, c.xid()))
                .putShort((short) 1).putShort((short) 0).putInt(0)
                .put((byte) table).put(new byte[3]).putInt(-1).putInt(-1).putInt(0).putLong(0).putLong(0)
                .putShort((short) 1).putShort((short) 4).putInt(0);
        OfClient.Msg reply = c.request(req.array());
        assertEquals(OfClient.MULTIPART_REPLY, reply.type(), reply.toString());
        byte[] body = reply.from(16);
        for (int at = 0; at < body.length; at += ByteBuffer.wrap(body).getShort(at) & 0xffff) {
            ByteBuffer.wrap(body).putLong(at + 4, 0);      // duration_sec, duration_nsec
        }
        return HexFormat.of().formatHex(body);
    }

    /** Three flows whose apply-actions end with a Nicira write_metadata, in tables 0, 1 and 2. */
    private void addThreeFlows() throws IOException {
        c.send(flowMod13(c.xid(), 0, 0, 10, new byte[0], applyActions(concat(output13(1), NX_WRITE_METADATA))),
                flowMod13(c.xid(), 1, 0, 11, new byte[0], applyActions(NX_WRITE_METADATA)),
                flowMod13(c.xid(), 2, 0, 13, new byte[0],
                        concat(applyActions(concat(output13(1), NX_WRITE_METADATA)), GOTO_3)));
        assertEquals(List.of(), c.barrier(), "all three accepted");
    }

    @Test
    void trailingWriteMetadata_isTheInstruction_inFlowStats() throws Exception {
        addThreeFlows();

        String apply = "0004001800000000 0000001000000001 ffff000000000000";
        String metadata = "0002001800000000 0000000000000005 00000000000000ff";
        assertEquals(entry(0, 10, apply + metadata), flowStats(0));
        assertEquals(entry(1, 11, metadata), flowStats(1), "no empty apply-actions");
        assertEquals(entry(2, 13, apply + metadata + "0001000803000000"), flowStats(2));
    }

    @Test
    void trailingWriteMetadata_inOvsOfctlDumpFlows() throws Exception {
        Tools.require("ovs-ofctl dump-flows of write_metadata", "ovs-ofctl");
        addThreeFlows();
        for (String v : List.of("OpenFlow13", "OpenFlow15")) {
            assertEquals(List.of(
                    "cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=10 actions=output:1,write_metadata:0x5/0xff",
                    "cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=11 actions=write_metadata:0x5/0xff",
                    "cookie=0x0, table=2, n_packets=0, n_bytes=0, priority=13 "
                            + "actions=output:1,write_metadata:0x5/0xff,goto_table:3"),
                    LiveSwitch.flows(s.ofctl("-O", v, "dump-flows", "TARGET")), v);
        }
    }

    /** One ofp_flow_stats, durations zeroed, cookie and counters 0, match-all, with {@code instructions}. */
    private static String entry(int table, int priority, String instructions) {
        String ins = instructions.replace(" ", "");
        return String.format("%04x%02x00%016x%04x000000000000%08x%016x%016x%016x0001000400000000", 56
                + ins.length() / 2, table, 0, priority, 0, 0, 0, 0) + ins;
    }

    /** Each refused with OFPBAC_UNSUPPORTED_ORDER (2,11), the whole request echoed, nothing installed. */
    @Test
    void writeMetadataNotLastOrFollowedByLaterInstructions_unsupportedOrder() throws IOException {
        byte[][] refused = {
            applyActions(concat(NX_WRITE_METADATA, output13(1))),
            applyActions(concat(NX_WRITE_METADATA, NX_WRITE_METADATA)),
            concat(applyActions(concat(output13(1), NX_WRITE_METADATA)), hex("0005 0008 00000000")),
            concat(applyActions(concat(output13(1), NX_WRITE_METADATA)), hex("0003 0018 00000000"), output13(1)),
            concat(applyActions(concat(output13(1), NX_WRITE_METADATA)),
                    hex("0002 0018 00000000 0000000000000010 00000000000000f0")),
        };
        for (byte[] instructions : refused) {
            byte[] fm = flowMod13(c.xid(), 0, 0, 12, new byte[0], instructions);
            c.send(fm);
            List<OfClient.Msg> got = c.barrier();
            assertEquals(1, got.size(), got.toString());
            assertEquals("2,11", got.get(0).error(), got.get(0).toString());
            assertEquals(HexFormat.of().formatHex(fm), HexFormat.of().formatHex(got.get(0).from(12)));
        }
        assertEquals("", flowStats(0), "nothing installed");
    }

    /** In a write-actions it decodes, then is not allowed in an action set: OFPBAC_BAD_TYPE (2,0). */
    @Test
    void writeMetadataInWriteActions_badType() throws IOException {
        byte[] fm = flowMod13(c.xid(), 0, 0, 12, new byte[0],
                concat(hex("0003 0038 00000000"), output13(1), NX_WRITE_METADATA));
        c.send(fm);
        List<OfClient.Msg> got = c.barrier();
        assertEquals(1, got.size(), got.toString());
        assertEquals("2,0", got.get(0).error(), got.get(0).toString());
    }
}
