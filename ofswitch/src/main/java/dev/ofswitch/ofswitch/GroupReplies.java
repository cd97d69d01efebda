package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.ActionCodec;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.GroupMod;
import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.codec.Reencoder;
import dev.ofswitch.ofswitch.pipeline.GroupTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The group multipart replies, which carry actions Loxi cannot encode (Nicira actions in buckets): OFPMP_GROUP_DESC
 * with each bucket's action bytes as received, and OFPMP_GROUP with counters. OpenFlow 1.1-1.4 layouts, 1.5's
 * bucket lists with properties, and OpenFlow 1.0's Nicira statistics ({@code NXST_GROUP_DESC}, {@code NXST_GROUP},
 * {@code NXST_GROUP_FEATURES}), which {@code ovs-ofctl} without {@code -O} sends for dump-groups, dump-group-stats
 * and dump-group-features (OVS {@code ofp-msgs.h}: "NXST 1.0 (7/8/9)").
 *
 * <pre>
 * 1.3 ofp_group_desc: length(2) type(1) pad(1) group_id(4), then ofp_bucket:
 *                     len(2) weight(2) watch_port(4) watch_group(4) pad(4) actions
 * 1.5 ofp_group_desc: length(2) type(1) pad(1) group_id(4) bucket_list_len(2) pad(6), then ofp15_bucket:
 *                     len(2) action_array_len(2) bucket_id(4) actions, properties (weight 0, watch_port 1,
 *                     watch_group 2)
 * NXST (1.0):         ofp_stats_reply type 0xffff, flags(2), vendor 0x2320(4), subtype(4), pad(4), then
 *                     GROUP_DESC: 1.5 ofp_group_desc with OpenFlow 1.0 actions; GROUP: 1.3 ofp_group_stats;
 *                     GROUP_FEATURES: types(4) capabilities(4) max_groups[4](16) actions[4](16)
 * </pre>
 * Actions are written as received when the request's version uses the same action encoding as the GROUP_MOD that
 * created the group (OpenFlow 1.0, or 1.1+), and re-encoded otherwise.
 */
final class GroupReplies {
    static final int OFPMP_GROUP = 6;
    static final int OFPMP_GROUP_DESC = 7;
    /** Nicira statistics subtypes of OpenFlow 1.0 (OVS {@code NXST_GROUP}, {@code NXST_GROUP_DESC}, ...). */
    static final int NXST_GROUP = 7;
    static final int NXST_GROUP_DESC = 8;
    static final int NXST_GROUP_FEATURES = 9;
    /** Length of the NXST reply header: ofp_header(8) type(2) flags(2) vendor(4) subtype(4) pad(4). */
    static final int NXST_HEADER_LEN = 24;
    private static final int MAX_PART = 0xffff;
    private static final long OFPG_ANY = 0xffffffffL;

    /** A bucket as a group-desc reply needs it: the decoded bucket and the wire version of its GROUP_MOD. */
    record BucketSource(int version, GroupMod.Bucket bucket) {
    }

    private GroupReplies() {
    }

    static List<ByteBuf> desc(int version, int xid, List<GroupTable.Group> groups) {
        List<ByteBuf> parts = new ArrayList<>();
        ByteBuf cur = start(version, xid, OFPMP_GROUP_DESC);
        boolean v15 = version >= OfVersion.OF15 || version == OfVersion.OF10;
        for (GroupTable.Group g : groups) {
            ByteBuf e = Unpooled.buffer(64);
            int s = e.writerIndex();
            e.writeShort(0).writeByte(g.type()).writeByte(0).writeInt((int) g.id());
            int listLenAt = -1;
            if (v15) {
                listLenAt = e.writerIndex();
                e.writeShort(0).writeZero(6);
            }
            int listStart = e.writerIndex();
            for (GroupTable.Bucket b : g.buckets()) {
                BucketSource bsrc = (BucketSource) b.source();
                GroupMod.Bucket src = bsrc.bucket();
                int bs = e.writerIndex();
                if (v15) {
                    e.writeShort(0).writeShort(0).writeInt((int) src.bucketId());
                    int actionsLen = writeActions(e, bsrc, version);
                    e.setShort(bs + 2, actionsLen);
                    // As OVS ofputil_put_ofp15_bucket(): weight for select groups, watches only when set.
                    if (g.type() == GroupTable.SELECT) {
                        e.writeShort(0).writeShort(8).writeShort(src.weight()).writeZero(2);
                    }
                    if (src.watchPort() != Action.OFPP_NONE) {
                        e.writeShort(1).writeShort(8).writeInt(port32(src.watchPort()));
                    }
                    if (src.watchGroup() != OFPG_ANY) {
                        e.writeShort(2).writeShort(8).writeInt((int) src.watchGroup());
                    }
                } else {
                    e.writeShort(0).writeShort(src.weight()).writeInt(port32(src.watchPort()))
                            .writeInt((int) src.watchGroup()).writeZero(4);
                    writeActions(e, bsrc, version);
                }
                e.setShort(bs, e.writerIndex() - bs);
            }
            if (listLenAt >= 0) {
                e.setShort(listLenAt, e.writerIndex() - listStart);
            }
            e.setShort(s, e.writerIndex() - s);
            cur = append(parts, cur, e, version, xid, OFPMP_GROUP_DESC);
        }
        finish(cur, false);
        parts.add(cur);
        return parts;
    }

    static List<ByteBuf> stats(int version, int xid, List<GroupTable.Group> groups, long now, int refCount) {
        List<ByteBuf> parts = new ArrayList<>();
        ByteBuf cur = start(version, xid, OFPMP_GROUP);
        for (GroupTable.Group g : groups) {
            ByteBuf e = Unpooled.buffer(64);
            int s = e.writerIndex();
            long dur = Math.max(0, now - g.createdNanos());
            e.writeShort(0).writeZero(2).writeInt((int) g.id()).writeInt(refCount).writeZero(4)
                    .writeLong(g.packets()).writeLong(g.bytes())
                    .writeInt((int) (dur / 1_000_000_000L)).writeInt((int) (dur % 1_000_000_000L));
            for (GroupTable.Bucket b : g.buckets()) {
                e.writeLong(b.packets()).writeLong(b.bytes());
            }
            e.setShort(s, e.writerIndex() - s);
            cur = append(parts, cur, e, version, xid, OFPMP_GROUP);
        }
        finish(cur, false);
        parts.add(cur);
        return parts;
    }

    /**
     * NXST_GROUP_FEATURES (OpenFlow 1.0), with OVS's values: all four group types, select weight, liveness and
     * chaining, 0xffffff00 groups of each type, and the OpenFlow 1.0 actions output through enqueue (bits 0-11).
     */
    static ByteBuf nxFeatures(int xid) {
        ByteBuf b = start(OfVersion.OF10, xid, NXST_GROUP_FEATURES);
        b.writeInt(0xf).writeInt(0x7);
        for (int i = 0; i < 4; i++) {
            b.writeInt(0xffffff00);
        }
        for (int i = 0; i < 4; i++) {
            b.writeInt(0xfff);
        }
        finish(b, false);
        return b;
    }

    /**
     * Writes a bucket's actions for a reply of {@code version}, as received when that version has the same wire form,
     * else re-encoded as OVS would ({@link Reencoder}); returns their length.
     */
    private static int writeActions(ByteBuf out, BucketSource src, int version) {
        int start = out.writerIndex();
        Reencoder.writeActions(out, src.bucket().actions(), version, (Match) null);
        return out.writerIndex() - start;
    }

    private static int port32(int port16) {
        return port16 >= 0xff00 ? port16 | 0xffff0000 : port16;
    }

    /**
     * A reply part's header: OFPT_MULTIPART_REPLY with {@code type}, or in OpenFlow 1.0 OFPT_STATS_REPLY (17) of type
     * OFPST_VENDOR with the Nicira subtype that matches {@code type}.
     */
    private static ByteBuf start(int version, int xid, int type) {
        ByteBuf b = Unpooled.buffer(256);
        if (version == OfVersion.OF10) {
            int subtype = type == OFPMP_GROUP ? NXST_GROUP : type == OFPMP_GROUP_DESC ? NXST_GROUP_DESC : type;
            b.writeByte(version).writeByte(17).writeShort(0).writeInt(xid);
            b.writeShort(0xffff).writeShort(0).writeInt(ErrorCode.NX_VENDOR_ID).writeInt(subtype).writeZero(4);
            return b;
        }
        b.writeByte(version).writeByte(19).writeShort(0).writeInt(xid);     // OFPT_MULTIPART_REPLY
        b.writeShort(type).writeShort(0).writeZero(4);
        return b;
    }

    private static ByteBuf append(List<ByteBuf> parts, ByteBuf cur, ByteBuf entry, int version, int xid, int type) {
        if (cur.readableBytes() + entry.readableBytes() > MAX_PART) {
            finish(cur, true);
            parts.add(cur);
            cur = start(version, xid, type);
        }
        cur.writeBytes(entry);
        entry.release();
        return cur;
    }

    private static void finish(ByteBuf b, boolean more) {
        b.setShort(2, b.readableBytes());
        b.setShort(10, more ? 1 : 0);
    }
}
