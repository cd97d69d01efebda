package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Hex helpers for models' {@code toString()} and tests. */
public final class Hex {
    private Hex() {
    }

    /** Lowercase hex of {@code bytes}. */
    public static String encode(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    /** Lowercase hex of the readable bytes of {@code buf} (not consumed). */
    public static String encode(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    /** Bytes of a hex string; whitespace is ignored. */
    public static byte[] decode(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
    }
}
