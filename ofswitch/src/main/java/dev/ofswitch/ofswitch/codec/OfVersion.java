package dev.ofswitch.ofswitch.codec;

/**
 * The OpenFlow wire versions this codec speaks, with the helpers every decoder needs.
 *
 * <p>Only 1.0, 1.3, 1.4 and 1.5 are supported end to end; 1.1 and 1.2 are named so that errors and tables can
 * mention them as OVS's do.
 */
public final class OfVersion {
    /** OpenFlow 1.0, wire 0x01. */
    public static final int OF10 = 0x01;
    /** OpenFlow 1.1, wire 0x02 (not supported by the codec). */
    public static final int OF11 = 0x02;
    /** OpenFlow 1.2, wire 0x03 (not supported by the codec). */
    public static final int OF12 = 0x03;
    /** OpenFlow 1.3, wire 0x04. */
    public static final int OF13 = 0x04;
    /** OpenFlow 1.4, wire 0x05. */
    public static final int OF14 = 0x05;
    /** OpenFlow 1.5, wire 0x06. */
    public static final int OF15 = 0x06;

    private OfVersion() {
    }

    /** Whether the codec decodes and encodes messages of wire version {@code version}. */
    public static boolean isSupported(int version) {
        return version == OF10 || version == OF13 || version == OF14 || version == OF15;
    }

    /** "1.0", "1.3", ... for messages and logs. */
    public static String name(int version) {
        return version >= 1 && version <= 6 ? "1." + (version - 1) : "0x" + Integer.toHexString(version);
    }
}
