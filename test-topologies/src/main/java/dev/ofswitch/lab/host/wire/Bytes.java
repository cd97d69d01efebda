package dev.ofswitch.lab.host.wire;

/** Big-endian reads and writes on {@code byte[]}. */
public final class Bytes {
    private Bytes() {
    }

    /** The unsigned byte at {@code i}. */
    public static int u8(byte[] f, int i) {
        return f[i] & 0xff;
    }

    /** The unsigned 16-bit value at {@code i}. */
    public static int u16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }

    /** The 32-bit value at {@code i}. */
    public static int u32(byte[] f, int i) {
        return ((f[i] & 0xff) << 24) | ((f[i + 1] & 0xff) << 16) | ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
    }

    /** Writes the low 16 bits of {@code v} at {@code i}. */
    public static void put16(byte[] f, int i, int v) {
        f[i] = (byte) (v >>> 8);
        f[i + 1] = (byte) v;
    }

    /** Writes {@code v} at {@code i}. */
    public static void put32(byte[] f, int i, int v) {
        f[i] = (byte) (v >>> 24);
        f[i + 1] = (byte) (v >>> 16);
        f[i + 2] = (byte) (v >>> 8);
        f[i + 3] = (byte) v;
    }
}
