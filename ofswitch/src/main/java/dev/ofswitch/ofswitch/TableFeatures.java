package dev.ofswitch.ofswitch;

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
