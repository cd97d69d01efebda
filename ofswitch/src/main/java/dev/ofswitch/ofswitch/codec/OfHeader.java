package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;

/**
 * The 8-byte {@code ofp_header} that starts every OpenFlow message, and the Nicira/experimenter header that follows
 * it in vendor messages.
 *
 * <pre>
 *  0        1        2                 4                                  8
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |version |  type  |      length     |               xid                 |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 *   length counts the header; the channel frames each message by it, so a decoder sees exactly one message.
 *
 * OFPT_VENDOR (1.0, type 4) / OFPT_EXPERIMENTER (1.1+, type 4) with Nicira's vendor id:
 * +-----------------------------------+-----------------------------------+
 * |        ofp_header (8 bytes)       |   vendor 0x00002320 |  subtype    |
 * +-----------------------------------+-----------------------------------+
 *   nicira_header: 16 bytes; the subtype is a u32 (NXT_FLOW_MOD = 13, NXT_PACKET_IN2 = 30, ...).
 * </pre>
 *
 * All helpers use absolute indexes relative to the slice's {@code readerIndex()} and never move it.
 */
public final class OfHeader {
    /** {@code sizeof(struct ofp_header)}. */
    public static final int LEN = 8;
    /** {@code sizeof(struct nicira_header)}: ofp_header + vendor + subtype. */
    public static final int NICIRA_LEN = 16;
    /** {@code OFPT_VENDOR} / {@code OFPT_EXPERIMENTER}. */
    public static final int OFPT_VENDOR = 4;

    private OfHeader() {
    }

    /** The version byte. */
    public static int version(ByteBuf msg) {
        return msg.getUnsignedByte(msg.readerIndex());
    }

    /** The type byte. */
    public static int type(ByteBuf msg) {
        return msg.getUnsignedByte(msg.readerIndex() + 1);
    }

    /** The 16-bit length field. */
    public static int length(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + 2);
    }

    /** The transaction id. */
    public static int xid(ByteBuf msg) {
        return msg.getInt(msg.readerIndex() + 4);
    }

    /** Writes an {@code ofp_header} with a zero length, to be fixed by {@link #patchLength}; returns its index. */
    public static int write(ByteBuf out, int version, int type, int xid) {
        int start = out.writerIndex();
        out.writeByte(version).writeByte(type).writeShort(0).writeInt(xid);
        return start;
    }

    /** Writes a {@code nicira_header} (vendor message with NX vendor id and {@code subtype}); returns its index. */
    public static int writeNicira(ByteBuf out, int version, int xid, int subtype) {
        int start = write(out, version, OFPT_VENDOR, xid);
        out.writeInt(ErrorCode.NX_VENDOR_ID).writeInt(subtype);
        return start;
    }

    /** Sets the length of the message that starts at {@code start} to everything written since. */
    public static void patchLength(ByteBuf out, int start) {
        int len = out.writerIndex() - start;
        if (len > 0xffff) {
            throw new IllegalArgumentException("OpenFlow message of " + len + " bytes exceeds 65535");
        }
        out.setShort(start + 2, len);
    }

    /** Writes zero bytes until {@code out}'s length since {@code start} is a multiple of 8. */
    public static void pad8(ByteBuf out, int start) {
        int rem = (out.writerIndex() - start) & 7;
        if (rem != 0) {
            out.writeZero(8 - rem);
        }
    }

    /** Rounds up to a multiple of 8. */
    public static int roundUp8(int n) {
        return (n + 7) & ~7;
    }
}
