package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPGMFC_BAD_BUCKET;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPGMFC_BAD_COMMAND;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPGMFC_BAD_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPGMFC_BAD_WATCH;

import dev.ofswitch.ofswitch.codec.Action.ActionList;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded group table modification: {@code OFPT_GROUP_MOD} (OpenFlow 1.3/1.4/1.5, type 15) or OpenFlow 1.0's
 * {@code NXT_GROUP_MOD} (Nicira subtype 31, which uses the 1.5 layout), as OVS 3.1's
 * {@code ofputil_decode_group_mod()}.
 *
 * <pre>
 * 1.1-1.4: command(2) type(1) pad(1) group_id(4), then ofp11_bucket:
 *          len(2) weight(2) watch_port(4) watch_group(4) pad(4) actions
 * 1.5 / NXT_GROUP_MOD: command(2) type(1) pad(1) group_id(4) bucket_array_len(2) pad(2) command_bucket_id(4),
 *          then ofp15_bucket: len(2) action_array_len(2) bucket_id(4) actions properties
 *          (0 weight: u16 + pad, 1 watch_port: u32, 2 watch_group: u32), then group properties
 * </pre>
 * Errors: command (OFPGMFC_BAD_COMMAND), type (OFPGMFC_BAD_TYPE), a bucket shorter than its header or longer than the
 * message (OFPGMFC_BAD_BUCKET), a watch port OpenFlow 1.1+ cannot map (OFPGMFC_BAD_WATCH), and the action errors.
 *
 * @param type  OFPGT_ALL 0, SELECT 1, INDIRECT 2, FF 3
 * @param watchPortUnset buckets without a watch port carry {@link Action#OFPP_NONE}
 */
public record GroupMod(int version, int xid, int command, int type, long groupId, long commandBucketId,
                       List<Bucket> buckets) {
    /** {@code OFPT_GROUP_MOD}. */
    public static final int OFPT_GROUP_MOD = 15;
    /** {@code NXT_GROUP_MOD}. */
    public static final int NXT_GROUP_MOD = 31;

    /** One bucket; {@code watchPort} is OVS's 16-bit number, OFPP_NONE when unset; weight 0 when unset. */
    public record Bucket(long bucketId, int weight, int watchPort, long watchGroup, ActionList actions) {
    }

    /** Copies the list. */
    public GroupMod {
        buckets = List.copyOf(buckets);
    }

    /** Decodes one framed GROUP_MOD or NXT_GROUP_MOD. */
    public static GroupMod decode(ByteBuf msg, ExperimenterActions hook) throws OpenFlowException {
        ByteBuf b = msg.duplicate();
        int at = b.readerIndex();
        int version = OfHeader.version(b);
        int xid = OfHeader.xid(b);
        boolean nx = version == OfVersion.OF10;
        int body = at + (nx ? 16 : 8);
        int end = at + b.readableBytes();
        boolean v15 = nx || version >= OfVersion.OF15;
        int fixed = v15 ? 16 : 8;
        if (end - body < fixed || (end - body - fixed) % 8 != 0) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "group_mod length " + (end - at));
        }
        int command = b.getUnsignedShort(body);
        int type = b.getUnsignedByte(body + 2);
        long groupId = b.getUnsignedInt(body + 4);
        int maxCommand = v15 ? 4 : 2; // 1.5: ADD, MODIFY, DELETE, INSERT_BUCKET (3), REMOVE_BUCKET (4)
        if (command > maxCommand && command != 0x8000) {
            throw new OpenFlowException(OFPGMFC_BAD_COMMAND, "group command " + command);
        }
        if (type > 3) {
            throw new OpenFlowException(OFPGMFC_BAD_TYPE, "group type " + type);
        }
        List<Bucket> buckets = new ArrayList<>();
        long commandBucketId = 0xffffffffL;
        if (!v15) {
            int p = body + 8;
            while (p < end) {
                if (end - p < 16) {
                    throw new OpenFlowException(OFPGMFC_BAD_BUCKET, "partial bucket");
                }
                int blen = b.getUnsignedShort(p);
                if (blen < 16 || blen > end - p || blen % 8 != 0) {
                    throw new OpenFlowException(OFPGMFC_BAD_BUCKET, "bucket length " + blen);
                }
                int weight = b.getUnsignedShort(p + 2);
                long watch32 = b.getUnsignedInt(p + 4);
                int watch = MatchField.portFromOfp11(watch32);
                if (watch < 0) {
                    throw new OpenFlowException(OFPGMFC_BAD_WATCH, "watch_port " + Long.toHexString(watch32));
                }
                long watchGroup = b.getUnsignedInt(p + 8);
                ActionList al = ActionCodec.decode(b.slice(p + 16, blen - 16), blen - 16, version, hook);
                buckets.add(new Bucket(buckets.size(), weight, watch, watchGroup, al));
                p += blen;
            }
        } else {
            int arrayLen = b.getUnsignedShort(body + 8);
            commandBucketId = b.getUnsignedInt(body + 12);
            int p = body + 16;
            if (arrayLen > end - p) {
                throw new OpenFlowException(OFPGMFC_BAD_BUCKET, "bucket_array_len " + arrayLen);
            }
            int bend = p + arrayLen;
            while (p < bend) {
                if (bend - p < 8) {
                    throw new OpenFlowException(OFPGMFC_BAD_BUCKET, "partial bucket");
                }
                int blen = b.getUnsignedShort(p);
                int alen = b.getUnsignedShort(p + 2);
                long id = b.getUnsignedInt(p + 4);
                if (blen < 8 || blen > bend - p || alen > blen - 8 || blen % 8 != 0) {
                    throw new OpenFlowException(OFPGMFC_BAD_BUCKET, "bucket length " + blen);
                }
                ActionList al = ActionCodec.decodeList(b.slice(p + 8, alen), alen, version, hook);
                int weight = 0;
                int watch = Action.OFPP_NONE;
                long watchGroup = 0xffffffffL;
                int q = p + 8 + alen;
                int qend = p + blen;
                while (q < qend) {
                    if (qend - q < 4) {
                        throw new OpenFlowException(ErrorCode.OFPBPC_BAD_LEN, "partial bucket property");
                    }
                    int pt = b.getUnsignedShort(q);
                    int pl = b.getUnsignedShort(q + 2);
                    if (pl < 4 || OfHeader.roundUp8(pl) > qend - q) {
                        throw new OpenFlowException(ErrorCode.OFPBPC_BAD_LEN, "bucket property length " + pl);
                    }
                    switch (pt) {
                        case 0:
                            weight = b.getUnsignedShort(q + 4);
                            break;
                        case 1: {
                            long w32 = b.getUnsignedInt(q + 4);
                            watch = MatchField.portFromOfp11(w32);
                            if (watch < 0) {
                                throw new OpenFlowException(OFPGMFC_BAD_WATCH, "watch_port");
                            }
                            break;
                        }
                        case 2:
                            watchGroup = b.getUnsignedInt(q + 4);
                            break;
                        default:
                            throw new OpenFlowException(ErrorCode.OFPBPC_BAD_TYPE, "bucket property " + pt);
                    }
                    q += OfHeader.roundUp8(pl);
                }
                buckets.add(new Bucket(id, weight, watch, watchGroup, al));
                p += blen;
            }
        }
        return new GroupMod(version, xid, command, type, groupId, commandBucketId, buckets);
    }
}
