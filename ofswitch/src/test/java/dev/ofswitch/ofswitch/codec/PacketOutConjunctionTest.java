package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A PACKET_OUT whose actions mix {@code conjunction} with anything but {@code note}: ovs-vswitchd 3.1 answers
 * NXBAC_BAD_CONJUNCTION (OF1.3: experimenter error 0x2320, code 15), for the conjunction first or last; a lone
 * conjunction is accepted and does nothing (checked with raw messages against ovs-vswitchd 3.1).
 */
class PacketOutConjunctionTest {
    private static final byte[] CONJ = Hex.decode("ffff00100000232000220002" + "00000001");
    private static final byte[] OUTPUT_1 = Hex.decode("00000010000000010000000000000000");
    private static final byte[] NOTE = Hex.decode("ffff0010000023200008000000000000");
    private static final byte[] FRAME =
            Hex.decode("000000000002000000000001080045000020000100004011f9c40a0000010a00000204d2162e000c0000");

    /** An OpenFlow 1.3 PACKET_OUT from LOCAL with {@code actions}. */
    private static byte[] packetOut13(byte[]... actions) {
        int alen = 0;
        for (byte[] a : actions) {
            alen += a.length;
        }
        ByteBuffer b = ByteBuffer.allocate(24 + alen + FRAME.length);
        b.put((byte) 4).put((byte) 13).putShort((short) b.capacity()).putInt(7);
        b.putInt(0xffffffff).putInt(0xfffffffe).putShort((short) alen).put(new byte[6]);
        for (byte[] a : actions) {
            b.put(a);
        }
        b.put(FRAME);
        return b.array();
    }

    private static PacketOut decode(byte[] msg) throws OpenFlowException {
        return PacketOut.decode(Unpooled.wrappedBuffer(msg), ExperimenterActions.REJECT);
    }

    @Test
    void conjunctionWithOutput_eitherOrder_isNxbacBadConjunction() {
        for (byte[] msg : new byte[][] {packetOut13(CONJ, OUTPUT_1), packetOut13(OUTPUT_1, CONJ)}) {
            OpenFlowException e = assertThrows(OpenFlowException.class, () -> decode(msg));
            assertEquals(ErrorCode.NXBAC_BAD_CONJUNCTION, e.code(), e.getMessage());
        }
    }

    @Test
    void conjunctionAlone_orWithNote_isAccepted() throws OpenFlowException {
        assertEquals(1, decode(packetOut13(CONJ)).actions().actions().size());
        assertEquals(2, decode(packetOut13(NOTE, CONJ)).actions().actions().size());
    }
}
