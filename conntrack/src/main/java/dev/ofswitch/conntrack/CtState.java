package dev.ofswitch.conntrack;

/**
 * The {@code ct_state} bits a packet carries after {@code ct()}, in Open vSwitch's order ({@code CS_STATE(...)} in
 * {@code lib/packets.h}): NEW {@code new} 0x01, ESTABLISHED {@code est} 0x02, RELATED {@code rel} 0x04, REPLY_DIR
 * {@code rpl} 0x08, INVALID {@code inv} 0x10, TRACKED {@code trk} 0x20, SRC_NAT {@code snat} 0x40, DST_NAT
 * {@code dnat} 0x80. These are also the bit values of the {@code NXM_NX_CT_STATE} match field.
 */
public final class CtState {
    /** Beginning of a new connection (bit 0). */
    public static final int NEW = 0x01;
    /** Part of an existing connection (bit 1). */
    public static final int EST = 0x02;
    /** Related to an existing connection, e.g. an ICMP error (bit 2). */
    public static final int REL = 0x04;
    /** Flow is in the reply direction (bit 3). */
    public static final int RPL = 0x08;
    /** Could not be tracked, or is invalid for its connection (bit 4). */
    public static final int INV = 0x10;
    /** Went through conntrack (bit 5). */
    public static final int TRK = 0x20;
    /** Source address or port was translated (bit 6). */
    public static final int SNAT = 0x40;
    /** Destination address or port was translated (bit 7). */
    public static final int DNAT = 0x80;

    private static final String[] NAMES = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};

    private CtState() {
    }

    /** Returns the name of bit {@code index} (0..7), e.g. {@code "est"} for 1. */
    public static String bitName(int index) {
        return NAMES[index];
    }

    /**
     * Formats {@code state} the way {@code ovs-ofctl} prints packet metadata: names joined by {@code |}, lowest bit
     * first ({@code new|trk}); {@code 0} for no bits.
     */
    public static String format(int state) {
        if ((state & 0xff) == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((state & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES[i]);
            }
        }
        return sb.toString();
    }

    /**
     * Parses one bit name ({@code new}, {@code est}, ...) and returns its value, or -1 if the name is unknown.
     */
    public static int parseBit(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        return -1;
    }
}
