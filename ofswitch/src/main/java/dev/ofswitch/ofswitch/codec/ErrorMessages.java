package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes {@code OFPT_ERROR} replies the way OVS's {@code ofperr_encode_reply()} ({@code lib/ofp-errors.c}) does.
 *
 * <pre>
 * standard error (vendor 0):
 * +--------------------------+--------+--------+----------------------------------+
 * | ofp_header type=1 (8)    |  type  |  code  | data: first min(len, 64) request |
 * +--------------------------+--------+--------+----------------------------------+
 *
 * NX/ONF error in OpenFlow 1.0/1.1 (nx_vendor_error):
 * +--------------------------+--------+--------+-----------+--------+--------+------+
 * | ofp_header type=1 (8)    | 0xb0c2 |   0    |  vendor   |  type  |  code  | data |
 * +--------------------------+--------+--------+-----------+--------+--------+------+
 *
 * NX/ONF error in OpenFlow 1.2+ (ofp_error_experimenter_msg):
 * +--------------------------+--------+----------+------------------+------------------+
 * | ofp_header type=1 (8)    | 0xffff | exp_code | experimenter (4) |       data       |
 * +--------------------------+--------+----------+------------------+------------------+
 * </pre>
 *
 * The reply carries the request's version and xid. Like OVS 3.1 ({@code ofperr_encode_reply()}), the data is the whole
 * request as its header's length says (verified byte for byte against a running ovs-vswitchd 3.1; OVS before 2.x and
 * the OpenFlow spec's minimum is 64 bytes), cut only so that the reply fits 65535 bytes. An error that cannot be expressed in the version is sent as {@link ErrorCode#NXBRC_UNENCODABLE_ERROR}.
 */
public final class ErrorMessages {
    /** {@code OFPT_ERROR}. */
    public static final int OFPT_ERROR = 1;
    /** {@code NXET_VENDOR}: the OF1.0/1.1 error type that introduces an {@code nx_vendor_error}. */
    public static final int NXET_VENDOR = 0xb0c2;
    /** {@code OFPET12_EXPERIMENTER}. */
    public static final int OFPET12_EXPERIMENTER = 0xffff;
    /** How much of the request fits in an error reply: 65535 minus the largest error header (20 bytes). */
    public static final int MAX_ECHO_BYTES = 0xffff - 20;

    private ErrorMessages() {
    }

    /**
     * Encodes the error reply to {@code request} (one whole framed message, readable bytes; not consumed).
     * The version and xid come from the request's header; if it is shorter than 8 bytes, version 1.0 and xid 0.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, ErrorCode error, ByteBuf request) {
        int version = OfVersion.OF10;
        int xid = 0;
        int n = request.readableBytes();
        if (n >= OfHeader.LEN) {
            version = OfHeader.version(request);
            xid = OfHeader.xid(request);
            // As OVS 3.1: the request as long as its header says (never more than we have).
            n = Math.min(n, OfHeader.length(request));
        }
        n = Math.min(n, MAX_ECHO_BYTES);
        ByteBuf out = alloc.buffer(12 + 8 + n);
        encode(out, error, version, xid, request, request.readerIndex(), n);
        return out;
    }

    /**
     * Decodes an {@code OFPT_ERROR} message into the error it reports (OVS {@code ofperr_decode_msg()}), or null if it
     * is not an error message or names an unknown error.
     */
    public static ErrorCode decode(ByteBuf msg) {
        int at = msg.readerIndex();
        if (msg.readableBytes() < 12 || OfHeader.type(msg) != OFPT_ERROR) {
            return null;
        }
        int version = OfHeader.version(msg);
        int type = msg.getUnsignedShort(at + 8);
        int code = msg.getUnsignedShort(at + 10);
        int vendor = 0;
        if (type == NXET_VENDOR && code == 0 && msg.readableBytes() >= 20) {
            vendor = msg.getInt(at + 12);
            type = msg.getUnsignedShort(at + 16);
            code = msg.getUnsignedShort(at + 18);
        } else if (type == OFPET12_EXPERIMENTER && version >= OfVersion.OF12 && msg.readableBytes() >= 16) {
            vendor = msg.getInt(at + 12);
            type = code;
            code = 0;
        }
        return ErrorCode.fromWire(version, vendor, type, code);
    }

    /** Encodes an error with explicit version, xid and data ({@code len} bytes of {@code data} at {@code index}). */
    public static void encode(ByteBuf out, ErrorCode error, int version, int xid, ByteBuf data, int index, int len) {
        int domain = (version >= 1 && version <= 6) ? version : OfVersion.OF10;
        ErrorCode e = error.isEncodable(domain) ? error : ErrorCode.NXBRC_UNENCODABLE_ERROR;
        int start = OfHeader.write(out, domain, OFPT_ERROR, xid);
        int vendor = e.vendor(domain);
        if (vendor == 0) {
            out.writeShort(e.type(domain)).writeShort(e.code(domain));
        } else if (domain <= OfVersion.OF11) {
            out.writeShort(NXET_VENDOR).writeShort(0);
            out.writeInt(vendor).writeShort(e.type(domain)).writeShort(e.code(domain));
        } else {
            out.writeShort(OFPET12_EXPERIMENTER).writeShort(e.type(domain)).writeInt(vendor);
        }
        if (data != null && len > 0) {
            out.writeBytes(data, index, len);
        }
        OfHeader.patchLength(out, start);
    }
}
