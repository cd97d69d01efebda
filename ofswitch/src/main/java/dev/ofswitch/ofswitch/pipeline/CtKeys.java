package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;

/**
 * Moves the conntrack metadata a packet carries in and out of its flow key's ct fields ({@code ct_state},
 * {@code ct_zone}, {@code ct_mark}, {@code ct_label} and the original tuple {@code ct_nw_*} / {@code ct_ipv6_*} /
 * {@code ct_tp_*}). Stateless, allocation-free.
 */
final class CtKeys {
    private CtKeys() {
    }

    /** The key after a recirculation: its ct fields are the datapath's metadata (OVS {@code pkt_metadata}). */
    static void fromMetadata(long[] key, CtMetadata md) {
        FlowKey.set(key, MatchField.CT_STATE, md.state() & 0xff);
        FlowKey.set(key, MatchField.CT_ZONE, md.zone());
        FlowKey.set(key, MatchField.CT_MARK, md.mark() & 0xffffffffL);
        FlowKey.setWide(key, MatchField.CT_LABEL, md.labelHi(), md.labelLo());
        clearTuple(key);
        if (md.hasTuple()) {
            FlowKey.set(key, MatchField.CT_NW_PROTO, md.tupleProto());
            if (md.tupleIsIpv6()) {
                FlowKey.setWide(key, MatchField.CT_IPV6_SRC, md.tupleIpv6SrcHi(), md.tupleIpv6SrcLo());
                FlowKey.setWide(key, MatchField.CT_IPV6_DST, md.tupleIpv6DstHi(), md.tupleIpv6DstLo());
            } else {
                FlowKey.set(key, MatchField.CT_NW_SRC, md.tupleIpv4Src() & 0xffffffffL);
                FlowKey.set(key, MatchField.CT_NW_DST, md.tupleIpv4Dst() & 0xffffffffL);
            }
            FlowKey.set(key, MatchField.CT_TP_SRC, md.tupleTpSrc());
            FlowKey.set(key, MatchField.CT_TP_DST, md.tupleTpDst());
        }
    }

    /** The view after a ct() without table= and after ct_clear: untracked, every ct field zero. */
    static void clear(long[] key) {
        FlowKey.set(key, MatchField.CT_STATE, 0);
        FlowKey.set(key, MatchField.CT_ZONE, 0);
        FlowKey.set(key, MatchField.CT_MARK, 0);
        FlowKey.setWide(key, MatchField.CT_LABEL, 0, 0);
        clearTuple(key);
    }

    private static void clearTuple(long[] key) {
        FlowKey.set(key, MatchField.CT_NW_PROTO, 0);
        FlowKey.set(key, MatchField.CT_NW_SRC, 0);
        FlowKey.set(key, MatchField.CT_NW_DST, 0);
        FlowKey.setWide(key, MatchField.CT_IPV6_SRC, 0, 0);
        FlowKey.setWide(key, MatchField.CT_IPV6_DST, 0, 0);
        FlowKey.set(key, MatchField.CT_TP_SRC, 0);
        FlowKey.set(key, MatchField.CT_TP_DST, 0);
    }
}
