package dev.ofswitch.ofswitch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFTableFeatureProp;
import org.projectfloodlight.openflow.protocol.OFTableFeatures;
import org.projectfloodlight.openflow.protocol.actionid.OFActionId;
import org.projectfloodlight.openflow.protocol.instructionid.OFInstructionId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;

/**
 * The OFPMP_TABLE_FEATURES reply: one {@code ofp_table_features} per table (0..253, as OVS) with the eight properties
 * ovs-ofctl requires (instructions, next tables, write/apply actions, match, wildcards, write/apply set-field), split
 * into parts with OFPMPF_REPLY_MORE so that no part exceeds 64 KiB.
 */
final class TableFeatures {
    static final int N_TABLES = 254;
    /** Tables per reply part: each entry is about 1 KiB. */
    private static final int TABLES_PER_PART = 16;

    private TableFeatures() {
    }

    /** OXM headers (no mask bit) we match on: OF1.3 basic fields and the Nicira registers and ct fields. */
    static List<Integer> matchHeaders() {
        int[][] basic = {
            {0, 4}, {1, 4}, {2, 8}, {3, 6}, {4, 6}, {5, 2}, {6, 2}, {7, 1}, {8, 1}, {9, 1}, {10, 1}, {11, 4}, {12, 4},
            {13, 2}, {14, 2}, {15, 2}, {16, 2}, {17, 2}, {18, 2}, {19, 1}, {20, 1}, {21, 2}, {22, 4}, {23, 4},
            {24, 6}, {25, 6}, {26, 16}, {27, 16}, {28, 4}, {29, 1}, {30, 1}, {31, 16}, {32, 6}, {33, 6}, {34, 4},
            {35, 1}, {36, 1}, {38, 8},
        };
        List<Integer> out = new ArrayList<>();
        for (int[] f : basic) {
            out.add(header(0x8000, f[0], f[1]));
        }
        for (int r = 0; r < 16; r++) {
            out.add(header(0x0001, r, 4));
        }
        int[][] ct = {{105, 4}, {106, 2}, {107, 4}, {108, 16}, {119, 1}, {120, 4}, {121, 4}, {122, 16}, {123, 16},
            {124, 2}, {125, 2}};
        for (int[] f : ct) {
            out.add(header(0x0001, f[0], f[1]));
        }
        return out;
    }

    private static int header(int oxmClass, int field, int length) {
        return (oxmClass << 16) | (field << 9) | length;
    }

    /**
     * The reply for OpenFlow 1.5, encoded here: Loxi 3.6.605 rejects the 1.4 config field and the meter instruction
     * in 1.5 and does not pad the 1.5 properties, which ovs-ofctl then refuses ("received bad reply").
     *
     * <pre>
     * ofp_table_features (1.5): length(2) table_id(1) command(1) features(4) name(32) metadata_match(8)
     *                           metadata_write(8) capabilities(4) max_entries(4), then properties:
     *                           type(2) length(2) body, padded to 8 (the length does not count the padding)
     * </pre>
     */
    static List<ByteBuf> reply15(int version, int xid) {
        int[] instructions = {4, 5, 3, 2};                     // apply, clear, write actions, write metadata
        int[] actions = {0, 22, 25, 18, 17, 23, 24, 15, 16, 19, 20, 21};
        List<Integer> match = matchHeaders();
        List<ByteBuf> parts = new ArrayList<>();
        ByteBuf part = null;
        for (int t = 0; t < N_TABLES; t++) {
            if (part == null) {
                part = Unpooled.buffer(16 + TABLES_PER_PART * 1024);
                part.writeByte(version).writeByte(19).writeShort(0).writeInt(xid);     // OFPT_MULTIPART_REPLY
                part.writeShort(12).writeShort(0).writeZero(4);                        // OFPMP_TABLE_FEATURES
            }
            int start = part.writerIndex();
            part.writeShort(0).writeByte(t).writeByte(0).writeInt(0);    // command OFPTFC_REPLACE, no features
            byte[] name = ("table" + t).getBytes(StandardCharsets.US_ASCII);
            part.writeBytes(name).writeZero(32 - name.length);
            part.writeLong(-1L).writeLong(-1L).writeInt(0).writeInt(1_000_000);
            int ps = prop(part, 0);
            for (int i : instructions) {
                part.writeShort(i).writeShort(4);
            }
            if (t < N_TABLES - 1) {
                part.writeShort(1).writeShort(4);                        // goto_table
            }
            endProp(part, ps);
            ps = prop(part, 2);
            for (int n = t + 1; n < N_TABLES; n++) {
                part.writeByte(n);
            }
            endProp(part, ps);
            for (int type : new int[] {4, 6}) {
                ps = prop(part, type);
                for (int a : actions) {
                    part.writeShort(a).writeShort(4);
                }
                endProp(part, ps);
            }
            for (int type : new int[] {8, 10, 12, 14}) {
                ps = prop(part, type);
                for (int h : match) {
                    part.writeInt(h);
                }
                endProp(part, ps);
            }
            part.setShort(start, part.writerIndex() - start);
            if ((t + 1) % TABLES_PER_PART == 0 || t == N_TABLES - 1) {
                part.setShort(2, part.readableBytes());
                part.setShort(10, t == N_TABLES - 1 ? 0 : 1);            // OFPMPF_REPLY_MORE
                parts.add(part);
                part = null;
            }
        }
        return parts;
    }

    private static int prop(ByteBuf b, int type) {
        int at = b.writerIndex();
        b.writeShort(type).writeShort(0);
        return at;
    }

    private static void endProp(ByteBuf b, int at) {
        b.setShort(at + 2, b.writerIndex() - at);
        b.writeZero((8 - (b.writerIndex() - at) % 8) % 8);
    }

    static List<OFMessage> reply(OFFactory f, long xid) {
        List<U32> match = new ArrayList<>();
        for (int h : matchHeaders()) {
            match.add(U32.of(h & 0xffffffffL));
        }
        List<OFActionId> actions = List.of(f.actionIds().output(), f.actionIds().group(), f.actionIds().setField(),
                f.actionIds().popVlan(), f.actionIds().pushVlan(), f.actionIds().setNwTtl(),
                f.actionIds().decNwTtl(), f.actionIds().setMplsTtl(), f.actionIds().decMplsTtl(),
                f.actionIds().pushMpls(), f.actionIds().popMpls(), f.actionIds().setQueue());
        List<OFMessage> parts = new ArrayList<>();
        List<OFTableFeatures> entries = new ArrayList<>();
        for (int t = 0; t < N_TABLES; t++) {
            List<OFInstructionId> instructions = new ArrayList<>(List.of(f.instructionIds().meter(),
                    f.instructionIds().applyActions(), f.instructionIds().clearActions(),
                    f.instructionIds().writeActions(), f.instructionIds().writeMetadata()));
            List<U8> next = new ArrayList<>();
            if (t < N_TABLES - 1) {
                instructions.add(f.instructionIds().gotoTable());
                for (int n = t + 1; n < N_TABLES; n++) {
                    next.add(U8.of((short) n));
                }
            }
            List<OFTableFeatureProp> props = List.of(
                    f.tableFeaturePropInstructions(instructions),
                    f.tableFeaturePropNextTables(next),
                    f.tableFeaturePropWriteActions(actions),
                    f.tableFeaturePropApplyActions(actions),
                    f.tableFeaturePropMatch(match),
                    f.tableFeaturePropWildcards(match),
                    f.tableFeaturePropWriteSetfield(match),
                    f.tableFeaturePropApplySetfield(match));
            entries.add(f.buildTableFeatures().setTableId(TableId.of(t)).setName("table" + t)
                    .setMetadataMatch(U64.NO_MASK).setMetadataWrite(U64.NO_MASK).setConfig(0)
                    .setMaxEntries(1_000_000).setProperties(props).build());
            if (entries.size() == TABLES_PER_PART || t == N_TABLES - 1) {
                boolean last = t == N_TABLES - 1;
                parts.add(f.buildTableFeaturesStatsReply().setXid(xid)
                        .setFlags(last ? EnumSet.noneOf(OFStatsReplyFlags.class) : EnumSet.of(OFStatsReplyFlags.REPLY_MORE))
                        .setEntries(entries).build());
                entries = new ArrayList<>();
            }
        }
        return parts;
    }
}
