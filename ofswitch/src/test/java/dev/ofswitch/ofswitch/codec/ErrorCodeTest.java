package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The per-version (vendor, type, code) table and the three wire forms of OFPT_ERROR. */
class ErrorCodeTest {
    @Test
    void specs_parseLikeOfpErrorsH() {
        assertEquals(1, ErrorCode.OFPBRC_BAD_TABLE_ID.type(OfVersion.OF10));
        assertEquals(512, ErrorCode.OFPBRC_BAD_TABLE_ID.code(OfVersion.OF10));
        assertEquals(ErrorCode.NX_VENDOR_ID, ErrorCode.OFPBRC_BAD_TABLE_ID.vendor(OfVersion.OF10));
        assertEquals(0, ErrorCode.OFPBRC_BAD_TABLE_ID.vendor(OfVersion.OF13));
        assertEquals(9, ErrorCode.OFPBRC_BAD_TABLE_ID.code(OfVersion.OF13));
        assertEquals(4250, ErrorCode.OFPBAC_BAD_SET_MASK.type(OfVersion.OF13));
        assertEquals(ErrorCode.ONF_VENDOR_ID, ErrorCode.OFPBAC_BAD_SET_MASK.vendor(OfVersion.OF14));
        assertEquals(16, ErrorCode.OFPBAC_BAD_SET_MASK.code(OfVersion.OF15));
        assertFalse(ErrorCode.OFPBAC_BAD_SET_MASK.isEncodable(OfVersion.OF10));
        assertFalse(ErrorCode.OFPBMC_BAD_LEN.isEncodable(OfVersion.OF10));
        assertEquals(13, ErrorCode.OFPBPC_BAD_TYPE.type(OfVersion.OF13));
        assertEquals(14, ErrorCode.OFPBPC_BAD_TYPE.type(OfVersion.OF14));
        assertEquals(2600, ErrorCode.OFPBIC_DUP_INST.type(OfVersion.OF13));
        assertEquals(9, ErrorCode.OFPBIC_DUP_INST.code(OfVersion.OF14));
        assertSame(ErrorCode.OFPBAC_BAD_VENDOR_TYPE, ErrorCode.OFPBAC_BAD_EXPERIMENTER_TYPE);
        for (ErrorCode e : ErrorCode.values()) {
            for (int v = 1; v <= 6; v++) {
                if (e.isEncodable(v)) {
                    ErrorCode back = ErrorCode.fromWire(v, e.vendor(v), e.type(v), e.code(v));
                    assertTrue(back == e || back.ordinal() < e.ordinal(), e + " in " + v + " decodes as " + back);
                }
            }
        }
    }

    @Test
    void encode_threeWireForms() {
        ByteBuf req = Unpooled.wrappedBuffer(Hex.decode("040e0010000000070000000000000000"));
        ByteBuf std = ErrorMessages.encode(ByteBufAllocator.DEFAULT, ErrorCode.OFPBMC_BAD_PREREQ, req);
        assertEquals("0401001c0000000700040009040e0010000000070000000000000000", Hex.encode(std));
        ByteBuf exp = ErrorMessages.encode(ByteBufAllocator.DEFAULT, ErrorCode.OFPBAC_BAD_SET_MASK, req);
        assertEquals("04010020000000070000ffff109a4f4e4600".substring(0, 16) + "ffff109a4f4e4600"
                + "040e0010000000070000000000000000", Hex.encode(exp));
        ByteBuf req10 = Unpooled.wrappedBuffer(Hex.decode("010e000800000003"));
        ByteBuf nx = ErrorMessages.encode(ByteBufAllocator.DEFAULT, ErrorCode.OFPBAC_MATCH_INCONSISTENT, req10);
        assertEquals("0101001c00000003b0c2000000002320" + "0001020a" + "010e000800000003", Hex.encode(nx));
        ByteBuf unenc = ErrorMessages.encode(ByteBufAllocator.DEFAULT, ErrorCode.OFPBMC_BAD_LEN, req10);
        assertSame(ErrorCode.NXBRC_UNENCODABLE_ERROR, ErrorMessages.decode(unenc));
        assertSame(ErrorCode.OFPBAC_BAD_SET_MASK, ErrorMessages.decode(exp));
        assertSame(ErrorCode.OFPBAC_MATCH_INCONSISTENT, ErrorMessages.decode(nx));
        for (ByteBuf b : new ByteBuf[] {std, exp, nx, unenc}) {
            b.release();
        }
    }
}
