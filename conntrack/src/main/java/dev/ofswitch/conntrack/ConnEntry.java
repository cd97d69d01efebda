package dev.ofswitch.conntrack;

import dev.ofswitch.conntrack.tcp.TcpState;
import dev.ofswitch.conntrack.tcp.TcpTracker;

/**
 * A snapshot of one connection, as {@code dpctl/dump-conntrack} lists it. Jackson serializes it as is.
 *
 * @param orig             the original direction
 * @param reply            the reply direction (after NAT, the translated tuple)
 * @param zone             conntrack zone
 * @param timeoutSeconds   whole seconds until the entry expires, rounded down (0 during the last second)
 * @param mark             ct_mark
 * @param labelHi          high 64 bits of ct_label
 * @param labelLo          low 64 bits of ct_label
 * @param tcp              TCP state, or null for other protocols
 * @param helper           the ALG helper named at commit, or null
 */
public record ConnEntry(CtTuple orig, CtTuple reply, int zone, long timeoutSeconds, int mark, long labelHi,
                        long labelLo, TcpInfo tcp, String helper) {

    /**
     * The TCP part of an entry ({@code protoinfo}).
     *
     * @param stateOrig  {@link TcpState} of the original sender
     * @param stateReply {@link TcpState} of the replier
     * @param wscaleOrig window scale the original sender announced
     * @param wscaleReply window scale the replier announced
     * @param flagsOrig  {@code CT_DPIF_TCPF_*} of the original sender ({@link TcpTracker#formatFlags(int)})
     * @param flagsReply {@code CT_DPIF_TCPF_*} of the replier
     */
    public record TcpInfo(int stateOrig, int stateReply, int wscaleOrig, int wscaleReply, int flagsOrig,
                          int flagsReply) {
    }

    /**
     * Formats the entry as {@code ovs-appctl dpctl/dump-conntrack} prints it (OVS {@code ct_dpif_format_entry()}).
     * {@code verbose} is {@code -m} ({@code id=0}, {@code status=0}, full TCP protoinfo), {@code stats} is {@code -s}
     * ({@code timeout=}). The userspace datapath keeps no packet counters or timestamps, so none are printed.
     */
    public String format(boolean verbose, boolean stats) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(CtTuple.protoName(orig.proto()));
        sb.append(",orig=(").append(orig.format()).append(')');
        sb.append(",reply=(").append(reply.format()).append(')');
        if (verbose) {
            sb.append(",id=0");
        }
        if (zone != 0) {
            sb.append(",zone=").append(zone);
        }
        if (verbose) {
            sb.append(",status=0");
        }
        if (stats) {
            sb.append(",timeout=").append(timeoutSeconds);
        }
        if (mark != 0) {
            sb.append(",mark=").append(Integer.toUnsignedString(mark));
        }
        if (labelHi != 0 || labelLo != 0) {
            sb.append(",labels=0x");
            if (labelHi != 0) {
                sb.append(Long.toHexString(labelHi)).append(String.format("%016x", labelLo));
            } else {
                sb.append(Long.toHexString(labelLo));
            }
        }
        if (tcp != null) {
            sb.append(",protoinfo=(");
            if (verbose) {
                sb.append("state_orig=").append(TcpState.name(tcp.stateOrig()));
                sb.append(",state_reply=").append(TcpState.name(tcp.stateReply()));
                if (tcp.wscaleOrig() != 0 || tcp.wscaleReply() != 0) {
                    sb.append(",wscale_orig=").append(tcp.wscaleOrig());
                    sb.append(",wscale_reply=").append(tcp.wscaleReply());
                }
                sb.append(",flags_orig=").append(TcpTracker.formatFlags(tcp.flagsOrig()));
                sb.append(",flags_reply=").append(TcpTracker.formatFlags(tcp.flagsReply()));
            } else {
                sb.append("state=").append(TcpState.coalescedName(tcp.stateOrig(), tcp.stateReply()));
            }
            sb.append(')');
        }
        if (helper != null) {
            sb.append(",helper=").append(helper);
        }
        return sb.toString();
    }
}
