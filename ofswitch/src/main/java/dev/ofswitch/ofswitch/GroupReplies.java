package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.codec.GroupMod;
import dev.ofswitch.ofswitch.codec.Reencoder;
import dev.ofswitch.ofswitch.pipeline.GroupTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The group multipart replies, which carry actions Loxi cannot encode (Nicira actions in buckets): OFPMP_GROUP_DESC
 * with each bucket's action bytes as received when the group came in a version of the same wire form, else
 * re-encoded for the reply's version as OVS would ({@link Reencoder}), and OFPMP_GROUP with counters. OpenFlow 1.1-1.4 layouts, and 1.5's
 * bucket lists with properties.
 *
 * <pre>
 * 1.3 ofp_group_desc: length(2) type(1) pad(1) group_id(4), then ofp_bucket:
 *                     len(2) weight(2) watch_port(4) watch_group(4) pad(4) actions
 * 1.5 ofp_group_desc: length(2) type(1) pad(1) group_id(4) bucket_list_len(2) pad(6), then ofp15_bucket:
 *                     len(2) action_array_len(2) bucket_id(4) actions, properties (weight 0, watch_port 1,
 *                     watch_group 2)
 * </pre>
 */
final class GroupReplies {
    static final int OFPMP_GROUP = 6;
    static final int OFPMP_GROUP_DESC = 7;
    private static final int MAX_PART = 0xffff;

    private GroupReplies() {
    }

    static List<ByteBuf> desc(int version, int xid, List<GroupTable.Group> groups) {
        List<ByteBuf> parts = new ArrayList<>();
        ByteBuf cur = start(version, xid, OFPMP_GROUP_DESC);
        for (GroupTable.Group g : groups) {
            ByteBuf e = Unpooled.buffer(64);
            int s = e.writerIndex();
            e.writeShort(0).writeByte(g.type()).writeByte(0).writeInt((int) g.id());
            int listLenAt = -1;
            if (version >= OfVersion.OF15) {
                listLenAt = e.writerIndex();
                e.writeShort(0).writeZero(6);
            }
            int listStart = e.writerIndex();
            for (GroupTable.Bucket b : g.buckets()) {
                GroupMod.Bucket src = (GroupMod.Bucket) b.source();
                ByteBuf ab = Unpooled.buffer(64);
                Reencoder.writeActions(ab, src.actions(), version, null);
                byte[] actions = new byte[ab.readableBytes()];
                ab.readBytes(actions);
                ab.release();
                int bs = e.writerIndex();
                if (version >= OfVersion.OF15) {
                    e.writeShort(0).writeShort(actions.length).writeInt((int) src.bucketId());
                    e.writeBytes(actions);
                    if (g.type() == GroupTable.SELECT) {
                        e.writeShort(0).writeShort(8).writeShort(src.weight()).writeZero(2);
                    }
                    if (g.type() == GroupTable.FAST_FAILOVER) {
                        e.writeShort(1).writeShort(8).writeInt(port32(src.watchPort()));
                        e.writeShort(2).writeShort(8).writeInt((int) src.watchGroup());
                    }
                } else {
                    e.writeShort(0).writeShort(src.weight()).writeInt(port32(src.watchPort()))
                            .writeInt((int) src.watchGroup()).writeZero(4);
                    e.writeBytes(actions);
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

    private static int port32(int port16) {
        return port16 >= 0xff00 ? port16 | 0xffff0000 : port16;
    }

    private static ByteBuf start(int version, int xid, int type) {
        ByteBuf b = Unpooled.buffer(256);
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
