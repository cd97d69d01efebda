package dev.ofswitch.ofswitch.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Cuts the byte stream into OpenFlow messages by the 16-bit length in {@code ofp_header}, before anything parses them.
 *
 * <pre>
 * before:  | 04 02 00 0c 00 00 00 07 de ad be ef | 04 14 00 08 00 00 00 08 | 04 0e 00 ...
 *            \______ ECHO_REQUEST, 12 bytes ____/  \__ BARRIER_REQUEST ___/   \__ (incomplete)
 * after:   RawMessage(ECHO_REQUEST, 12 bytes), RawMessage(BARRIER_REQUEST, 8 bytes); the rest waits
 * </pre>
 *
 * A length below 8 means framing is lost: nothing after it can be trusted, so the decoder raises
 * {@link CorruptedFrameException} and the channel is closed (OVS closes such a connection too). Every other message,
 * valid or not, is passed on whole.
 *
 * <p>Not {@code @Sharable}: it keeps the cumulation buffer of one connection, confined to its event loop.
 */
public final class OpenFlowFrameDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= RawMessage.HEADER_LEN) {
            int length = in.getUnsignedShort(in.readerIndex() + 2);
            if (length < RawMessage.HEADER_LEN) {
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException("OpenFlow message length " + length + " is shorter than the "
                        + RawMessage.HEADER_LEN + "-byte header: framing lost");
            }
            if (in.readableBytes() < length) {
                return;
            }
            out.add(new RawMessage(in.readRetainedSlice(length)));
        }
    }
}
