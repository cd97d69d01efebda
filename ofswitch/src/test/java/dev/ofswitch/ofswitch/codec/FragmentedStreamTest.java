package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The codec behind a frame decoder, fed the OF1.3 golden stream (HELLOs, lookups, flow mods with and without ct,
 * a BAD_PREREQ flow, barriers) split at every fragment size: the same results come out, in order, whatever the
 * split, and a bad message never costs the ones behind it. Runs under paranoid leak detection (surefire argLine).
 */
class FragmentedStreamTest {
    /** Decodes each frame and emits a one-line summary: the model's class, the error, or "loxi". */
    static final class DecodeHandler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            String out;
            try {
                Object o = Messages.decode(frame, Messages.ConnectionState.INITIAL);
                out = o == null ? "loxi type " + OfHeader.type(frame) : o.getClass().getSimpleName();
            } catch (OpenFlowException e) {
                out = "error " + e.code();
            }
            ctx.fireChannelRead(out);
        }
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new LengthFieldBasedFrameDecoder(0xffff, 2, 2, -4, 0), new DecodeHandler());
    }

    @Test
    void everyFragmentSize_sameResults() throws Exception {
        ByteBuf stream = Unpooled.buffer();
        for (Golden.Vector v : Golden.load("ovs-ofctl-of13.txt")) {
            stream.writeBytes(v.bytes());
        }
        byte[] all = GoldenVectorsTest.bytes(stream);
        List<Object> expected = run(all, all.length);
        assertEquals(27, expected.size(), expected.toString());
        assertEquals("error OFPBAC_BAD_VENDOR_TYPE", expected.get(7).toString(), "c01 carries ct(): refused");
        assertEquals("FlowMod", expected.get(5).toString(), "c00 baseline decodes");
        for (int step = 1; step < 64; step++) {
            assertEquals(expected, run(all, step), "fragment size " + step);
        }
        assertEquals(expected, run(all, 997));
    }

    private static List<Object> run(byte[] all, int step) {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < all.length; i += step) {
            ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(step, all.length - i)));
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        assertFalse(ch.finish());
        return out;
    }
}
