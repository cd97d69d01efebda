package dev.ofswitch.ofswitch.channel;

/** The OpenFlow wire versions this switch speaks, and helpers for version bitmaps. */
public final class OfVersion {
    public static final int OF10 = 0x01;
    public static final int OF13 = 0x04;
    public static final int OF14 = 0x05;
    public static final int OF15 = 0x06;

    /** Bitmap of every version we can speak: 1.0, 1.3, 1.4, 1.5. */
    public static final int SUPPORTED = (1 << OF10) | (1 << OF13) | (1 << OF14) | (1 << OF15);

    private OfVersion() {
    }

    /** {@code OpenFlow13} style name of a wire version. */
    public static String name(int version) {
        switch (version) {
            case 1:
                return "OpenFlow10";
            case 2:
                return "OpenFlow11";
            case 3:
                return "OpenFlow12";
            case 4:
                return "OpenFlow13";
            case 5:
                return "OpenFlow14";
            case 6:
                return "OpenFlow15";
            default:
                return "0x" + Integer.toHexString(version);
        }
    }

    /** Parses {@code OpenFlow10,OpenFlow13} (ovs-vsctl's protocols syntax) into a bitmap. */
    public static int parseList(String list) {
        int bitmap = 0;
        for (String s : list.split("[,\\s]+")) {
            if (s.isEmpty()) {
                continue;
            }
            int v = -1;
            for (int i = 1; i <= 6; i++) {
                if (name(i).equalsIgnoreCase(s)) {
                    v = i;
                }
            }
            if (v < 0 || (SUPPORTED & (1 << v)) == 0) {
                throw new IllegalArgumentException("unsupported OpenFlow version \"" + s
                        + "\" (supported: OpenFlow10, OpenFlow13, OpenFlow14, OpenFlow15)");
            }
            bitmap |= 1 << v;
        }
        if (bitmap == 0) {
            throw new IllegalArgumentException("no OpenFlow version given");
        }
        return bitmap;
    }

    /** The highest version in {@code bitmap}, or 0. */
    public static int highest(int bitmap) {
        return bitmap == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(bitmap);
    }
}
