package dev.ofswitch.ofswitch.channel;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;

/**
 * One framed OpenFlow message, not yet parsed: its header fields and the whole message (header included) as a
 * buffer slice of exactly {@code length} bytes. Parsing happens later, on the slice, so that a message we cannot parse
 * never desynchronizes the stream (the frame-first rule).
 *
 * <pre>
 * ofp_header:  +---------+---------+-------------------+
 *              | version |  type   |   length (u16)    |
 *              +---------+---------+-------------------+
 *              |               xid (u32)               |
 *              +---------------------------------------+
 * </pre>
 *
 * Reference counted: whoever consumes it releases it (once).
 */
public final class RawMessage extends AbstractReferenceCounted {
    /** Length of {@code ofp_header}. */
    public static final int HEADER_LEN = 8;

    private final int version;
    private final int type;
    private final int xid;
    private final ByteBuf buf;

    public RawMessage(ByteBuf buf) {
        this.buf = buf;
        this.version = buf.getUnsignedByte(buf.readerIndex());
        this.type = buf.getUnsignedByte(buf.readerIndex() + 1);
        this.xid = buf.getInt(buf.readerIndex() + 4);
    }

    /** The wire version (1 = OF1.0, 4 = OF1.3, 5 = OF1.4, 6 = OF1.5). */
    public int version() {
        return version;
    }

    /** The raw message type, whose meaning depends on the version. */
    public int type() {
        return type;
    }

    public int xid() {
        return xid;
    }

    public int length() {
        return buf.readableBytes();
    }

    /** The whole message, header included; its reader index is at the header. */
    public ByteBuf buf() {
        return buf;
    }

    /** A copy of the message's first {@code max} bytes (what an OFPT_ERROR echoes). */
    public byte[] head(int max) {
        byte[] b = new byte[Math.min(max, buf.readableBytes())];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    @Override
    protected void deallocate() {
        buf.release();
    }

    @Override
    public RawMessage touch(Object hint) {
        buf.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "RawMessage{version=" + version + ", type=" + type + ", length=" + length() + ", xid=" + xid + "}";
    }
}
