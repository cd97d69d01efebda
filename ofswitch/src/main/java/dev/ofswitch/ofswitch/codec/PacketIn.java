package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A packet-in to send: everything {@link AsyncMessages#encodePacketIn} needs for a standard {@code OFPT_PACKET_IN}
 * or a Nicira {@code NXT_PACKET_IN2}.
 *
 * @param bufferId  always {@link #NO_BUFFER} for this switch (OVS never buffers)
 * @param totalLen  the frame's full length
 * @param reason    OFPR_NO_MATCH (0) for a table-miss flow, OFPR_ACTION (1) otherwise (SWITCH-CONTRACT §3.5)
 * @param tableId   the table of the flow that sent it
 * @param cookie    the cookie of that flow
 * @param metadata  the pipeline metadata, as OXM entries (see {@link #metadataOf})
 * @param data      the frame, already cut to the action's max_len
 * @param userdata  {@code controller(userdata=...)} bytes, or null (only NXT_PACKET_IN2 can carry them)
 */
public record PacketIn(long bufferId, int totalLen, int reason, int tableId, long cookie, List<MatchEntry> metadata,
                       byte[] data, byte[] userdata) {
    /** {@code OFP_NO_BUFFER}. */
    public static final long NO_BUFFER = 0xffffffffL;
    /** {@code OFPR_NO_MATCH}. */
    public static final int OFPR_NO_MATCH = 0;
    /** {@code OFPR_ACTION}. */
    public static final int OFPR_ACTION = 1;

    /** Copies the arrays and the list. */
    public PacketIn {
        metadata = List.copyOf(metadata);
        data = data.clone();
        userdata = userdata == null ? null : userdata.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] userdata() {
        return userdata == null ? null : userdata.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PacketIn)) {
            return false;
        }
        PacketIn p = (PacketIn) o;
        return p.bufferId == bufferId && p.totalLen == totalLen && p.reason == reason && p.tableId == tableId
                && p.cookie == cookie && p.metadata.equals(metadata) && Arrays.equals(p.data, data)
                && Arrays.equals(p.userdata, userdata);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /**
     * The metadata OVS puts in a packet-in for a packet whose {@link FlowKey} is {@code key}, in OVS's order
     * ({@code nx_put_raw()}): in_port always; eth_type when ct_state is non-zero; non-zero registers (OpenFlow 1.5:
     * as xregs); non-zero pkt_mark; ct_state (masked with 0xff, as OVS), ct_zone, ct_mark, ct_label when non-zero;
     * the conntrack original tuple when the packet is tracked with a connection (+trk and not +inv); non-zero
     * metadata. See SWITCH-CONTRACT §3.5. Headers are those of {@code version}'s encoder (NXM for OpenFlow 1.0).
     */
    public static List<MatchEntry> metadataOf(long[] key, int version) {
        List<MatchEntry> out = new ArrayList<>();
        int port = (int) FlowKey.get(key, MatchField.IN_PORT);
        if (version == OfVersion.OF10) {
            out.add(MatchEntry.of(MatchField.IN_PORT, version, port, null));
        } else {
            out.add(MatchEntry.of(MatchField.IN_PORT_OXM, version, MatchField.portToOfp11(port), null));
        }
        long ctState = FlowKey.get(key, MatchField.CT_STATE);
        long ethType = FlowKey.get(key, MatchField.ETH_TYPE);
        if (ctState != 0) {
            out.add(MatchEntry.of(MatchField.ETH_TYPE, version, ethType, null));
        }
        if (version >= OfVersion.OF15) {
            for (int x = 0; x < 8; x++) {
                MatchField xr = MatchField.xreg(x);
                long v = FlowKey.get(key, xr);
                if (v != 0) {
                    long hi = v >>> 32;
                    long lo = v & 0xffffffffL;
                    long mask = (hi != 0 ? 0xffffffff00000000L : 0) | (lo != 0 ? 0xffffffffL : 0);
                    out.add(MatchEntry.of(xr, version, v, mask == -1L ? null : mask));
                }
            }
        } else {
            for (int r = 0; r < 16; r++) {
                long v = FlowKey.get(key, MatchField.reg(r));
                if (v != 0) {
                    out.add(MatchEntry.of(MatchField.reg(r), version, v, null));
                }
            }
        }
        addIfNonZero(out, key, MatchField.PKT_MARK, version);
        if (ctState != 0) {
            out.add(MatchEntry.of(MatchField.CT_STATE, version, ctState, 0xffL));
        }
        addIfNonZero(out, key, MatchField.CT_ZONE, version);
        addIfNonZero(out, key, MatchField.CT_MARK, version);
        if (FlowKey.getHigh(key, MatchField.CT_LABEL) != 0 || FlowKey.getLow(key, MatchField.CT_LABEL) != 0) {
            out.add(wide(key, MatchField.CT_LABEL, version));
        }
        // OVS is_ct_valid() on an extracted flow: the original tuple goes out only with new, est or rpl set (a
        // +rel-rpl packet, an ICMP error from the original side, has the tuple but its packet-in does not show it).
        boolean tuple = (ctState & (0x01 | 0x02 | 0x08)) != 0;
        if (tuple) {
            if (ethType == 0x0800) {
                out.add(MatchEntry.of(MatchField.CT_NW_SRC, version, FlowKey.get(key, MatchField.CT_NW_SRC), null));
                out.add(MatchEntry.of(MatchField.CT_NW_DST, version, FlowKey.get(key, MatchField.CT_NW_DST), null));
            } else if (ethType == 0x86dd) {
                out.add(wide(key, MatchField.CT_IPV6_SRC, version));
                out.add(wide(key, MatchField.CT_IPV6_DST, version));
            }
            out.add(MatchEntry.of(MatchField.CT_NW_PROTO, version, FlowKey.get(key, MatchField.CT_NW_PROTO), null));
            out.add(MatchEntry.of(MatchField.CT_TP_SRC, version, FlowKey.get(key, MatchField.CT_TP_SRC), null));
            out.add(MatchEntry.of(MatchField.CT_TP_DST, version, FlowKey.get(key, MatchField.CT_TP_DST), null));
        }
        if (version != OfVersion.OF10) {
            addIfNonZero(out, key, MatchField.METADATA, version);
        }
        return out;
    }

    private static void addIfNonZero(List<MatchEntry> out, long[] key, MatchField f, int version) {
        long v = FlowKey.get(key, f);
        if (v != 0) {
            out.add(MatchEntry.of(f, version, v, null));
        }
    }

    private static MatchEntry wide(long[] key, MatchField f, int version) {
        byte[] v = new byte[16];
        FlowKey.getBytes(key, f, v, 0);
        return new MatchEntry(f, f.preferredHeader(version), v, null);
    }
}
