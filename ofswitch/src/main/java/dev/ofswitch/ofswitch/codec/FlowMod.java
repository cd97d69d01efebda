package dev.ofswitch.ofswitch.codec;

/**
 * A decoded flow table modification: {@code OFPT_FLOW_MOD} of any version or Nicira {@code NXT_FLOW_MOD}.
 *
 * <p>Fields are as on the wire, with OVS's interpretation where it differs: {@link #outPort()} is OVS's 16-bit port
 * number; {@link #tableId()} is 255 ("all/unspecified") for OpenFlow 1.0 unless the connection enabled
 * NXT_FLOW_MOD_TABLE_ID, in which case it is the command's high byte; {@link #priority()} is 0xffff for an OpenFlow
 * 1.0 match without wildcards, as the 1.0 spec and OVS say; {@link #rawFlags()} are the flags as received.
 * {@link #match()} and {@link #instructions()} keep their bytes for flow stats. Immutable.
 */
public record FlowMod(
        int version,
        int xid,
        boolean nicira,
        long cookie,
        long cookieMask,
        int tableId,
        int command,
        int idleTimeout,
        int hardTimeout,
        int priority,
        long bufferId,
        int outPort,
        long outGroup,
        int rawFlags,
        int importance,
        Match match,
        Instructions instructions) {

    /** {@code OFPFC_ADD}. */
    public static final int OFPFC_ADD = 0;
    /** {@code OFPFC_MODIFY}. */
    public static final int OFPFC_MODIFY = 1;
    /** {@code OFPFC_MODIFY_STRICT}. */
    public static final int OFPFC_MODIFY_STRICT = 2;
    /** {@code OFPFC_DELETE}. */
    public static final int OFPFC_DELETE = 3;
    /** {@code OFPFC_DELETE_STRICT}. */
    public static final int OFPFC_DELETE_STRICT = 4;

    /** {@code OFPFF_SEND_FLOW_REM}. */
    public static final int OFPFF_SEND_FLOW_REM = 1 << 0;
    /** {@code OFPFF_CHECK_OVERLAP}. */
    public static final int OFPFF_CHECK_OVERLAP = 1 << 1;
    /** {@code OFPFF10_EMERG} (OpenFlow 1.0 only). */
    public static final int OFPFF10_EMERG = 1 << 2;
    /** {@code OFPFF12_RESET_COUNTS} (OpenFlow 1.2+). */
    public static final int OFPFF12_RESET_COUNTS = 1 << 2;
    /** {@code OFPFF13_NO_PKT_COUNTS} (OpenFlow 1.3+). */
    public static final int OFPFF13_NO_PKT_COUNTS = 1 << 3;
    /** {@code OFPFF13_NO_BYT_COUNTS} (OpenFlow 1.3+). */
    public static final int OFPFF13_NO_BYT_COUNTS = 1 << 4;

    /**
     * This flow mod with another priority: the switch's own flows (fail-open's, above every OpenFlow priority), made
     * from a decoded message.
     */
    public FlowMod withPriority(int newPriority) {
        return new FlowMod(version, xid, nicira, cookie, cookieMask, tableId, command, idleTimeout, hardTimeout,
                newPriority, bufferId, outPort, outGroup, rawFlags, importance, match, instructions);
    }

    /** Whether the flags ask for FLOW_REMOVED. */
    public boolean sendFlowRemoved() {
        return (rawFlags & OFPFF_SEND_FLOW_REM) != 0;
    }

    /** Whether the flags ask for an overlap check on add. */
    public boolean checkOverlap() {
        return (rawFlags & OFPFF_CHECK_OVERLAP) != 0;
    }

    /**
     * Whether counters are reset: the flag in OpenFlow 1.2+, always for an add in 1.0 (as OVS
     * {@code ofputil_decode_flow_mod_flags()}).
     */
    public boolean resetCounts() {
        return version == OfVersion.OF10 ? command == OFPFC_ADD : (rawFlags & OFPFF12_RESET_COUNTS) != 0;
    }

    /** Whether packet counting is off (OpenFlow 1.3+). */
    public boolean noPacketCounts() {
        return version >= OfVersion.OF13 && (rawFlags & OFPFF13_NO_PKT_COUNTS) != 0;
    }

    /** Whether byte counting is off (OpenFlow 1.3+). */
    public boolean noByteCounts() {
        return version >= OfVersion.OF13 && (rawFlags & OFPFF13_NO_BYT_COUNTS) != 0;
    }

    /** Whether the command is a delete. */
    public boolean isDelete() {
        return command == OFPFC_DELETE || command == OFPFC_DELETE_STRICT;
    }
}
