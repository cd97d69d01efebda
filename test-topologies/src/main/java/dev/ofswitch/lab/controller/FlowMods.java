package dev.ofswitch.lab.controller;

import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.codec.MatchCodec;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenFlow 1.3 FLOW_MOD messages as bytes, for the lab's controller apps: a match (OXM/NXM entries, encoded as
 * ovs-ofctl does) and either apply-actions ({@link OfActions}) or a goto-table.
 *
 * <pre>{@code
 * byte[] m = FlowMods.add(1, 100).match(MatchField.ETH_TYPE, 0x0806).apply(OfActions.of().normal()).build(xid);
 * }</pre>
 *
 * Not thread-safe.
 */
public final class FlowMods {
    private static final int OFPT_FLOW_MOD = 14;
    private static final int OFPFC_ADD = 0;
    private static final int OFPFC_DELETE = 3;
    private static final int OFPTT_ALL = 0xff;

    private final int command;
    private final int table;
    private final int priority;
    private long cookie;
    private final List<MatchEntry> match = new ArrayList<>();
    private byte[] actions;
    private int gotoTable = -1;

    private FlowMods(int command, int table, int priority) {
        this.command = command;
        this.table = table;
        this.priority = priority;
    }

    /** {@code add-flow table=TABLE,priority=PRIORITY,...}. */
    public static FlowMods add(int table, int priority) {
        return new FlowMods(OFPFC_ADD, table, priority);
    }

    /** {@code del-flows} of every table. */
    public static byte[] deleteAll(int xid) {
        return new FlowMods(OFPFC_DELETE, OFPTT_ALL, 0).build(xid);
    }

    public FlowMods cookie(long c) {
        this.cookie = c;
        return this;
    }

    /** An exact match on {@code field}. */
    public FlowMods match(MatchField field, long value) {
        match.add(MatchEntry.of(field, OfVersion.OF13, value, null));
        return this;
    }

    /** A masked match on {@code field}. */
    public FlowMods match(MatchField field, long value, long mask) {
        match.add(MatchEntry.of(field, OfVersion.OF13, value, mask));
        return this;
    }

    /** The flow's apply-actions; none (or an empty list) drops. */
    public FlowMods apply(OfActions a) {
        this.actions = a.bytes();
        return this;
    }

    /** {@code goto_table:T} after the apply-actions. */
    public FlowMods gotoTable(int t) {
        this.gotoTable = t;
        return this;
    }

    /** The message, OpenFlow 1.3, with transaction id {@code xid}. */
    public byte[] build(int xid) {
        ByteBuf b = Unpooled.buffer(128);
        b.writeByte(OfVersion.OF13).writeByte(OFPT_FLOW_MOD).writeShort(0).writeInt(xid);
        b.writeLong(cookie).writeLong(0);                              // cookie, cookie_mask
        b.writeByte(table).writeByte(command).writeShort(0).writeShort(0).writeShort(priority);
        b.writeInt(0xffffffff);                                        // buffer_id: none
        b.writeInt(0xffffffff);                                        // out_port: any
        b.writeInt(0xffffffff);                                        // out_group: any
        b.writeShort(0).writeZero(2);                                  // flags, pad
        MatchCodec.encodeOxm(b, match);
        if (actions != null && actions.length > 0) {
            b.writeShort(4).writeShort(8 + actions.length).writeZero(4).writeBytes(actions);   // OFPIT_APPLY_ACTIONS
        }
        if (gotoTable >= 0) {
            b.writeShort(1).writeShort(8).writeByte(gotoTable).writeZero(3);                      // OFPIT_GOTO_TABLE
        }
        b.setShort(2, b.readableBytes());
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }
}
