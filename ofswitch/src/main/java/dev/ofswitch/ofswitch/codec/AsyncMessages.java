package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Encoders for the asynchronous messages the switch sends: packet-ins and flow-removed, in every version OVS 3.1
 * speaks them (SWITCH-CONTRACT §3.5).
 *
 * <h2>OFPT_PACKET_IN (type 10)</h2>
 * <pre>
 * OpenFlow 1.0 (ofp10_packet_in), no metadata:
 * +-----------+-----------+---------+--------+-----+---------+
 * | buffer_id | total_len | in_port | reason | pad |  data   |
 * +-----------+-----------+---------+--------+-----+---------+
 *      4           2          2         1       1
 * OpenFlow 1.3/1.4/1.5 (ofp13_packet_in):
 * +-----------+-----------+--------+----------+--------+-------------------------+--------+------+
 * | buffer_id | total_len | reason | table_id | cookie | ofp_match (OXM, padded) | pad[2] | data |
 * +-----------+-----------+--------+----------+--------+-------------------------+--------+------+
 *      4           2          1         1         8
 * </pre>
 *
 * <h2>NXT_PACKET_IN2 (Nicira subtype 30)</h2>
 * A {@code nicira_header} then properties (type u16, length u16 without padding, value, zero padding to 8), in OVS's
 * order: 0 packet (the frame), 1 full_len (u32, only when truncated), 3 table_id (u8), 4 cookie (4 pad + u64),
 * 5 reason (u8), 6 metadata (OXM entries without a match header; NXM in OpenFlow 1.0), 7 userdata. OVS leaves out
 * buffer_id (2) because it never buffers.
 *
 * <h2>FLOW_REMOVED (type 11) and NXT_FLOW_REMOVED (Nicira subtype 14)</h2>
 * <pre>
 * OpenFlow 1.0: ofp10_match(40) cookie(8) priority(2) reason(1) pad(1) duration_sec(4) duration_nsec(4)
 *               idle_timeout(2) pad(2) packet_count(8) byte_count(8)
 * OpenFlow 1.3/1.4: cookie(8) priority(2) reason(1) table_id(1) duration_sec(4) duration_nsec(4) idle_timeout(2)
 *               hard_timeout(2) packet_count(8) byte_count(8), then the OXM match
 * OpenFlow 1.5: table_id(1) reason(1) priority(2) idle_timeout(2) hard_timeout(2) cookie(8), the OXM match, then
 *               ofp_oxs_stat: reserved(2) length(2) and OXS TLVs duration (0x80020008: sec, nsec),
 *               packet_count (0x80020808), byte_count (0x80020a08), padded to 8
 * NXT_FLOW_REMOVED: cookie(8) priority(2) reason(1) table_id(1) duration_sec(4) duration_nsec(4) idle_timeout(2)
 *               match_len(2) packet_count(8) byte_count(8), then the nx_match padded to 8
 * </pre>
 * The match is the flow's: its bytes as received when the formats agree, else re-encoded as OVS would.
 */
public final class AsyncMessages {
    /** {@code OFPT_PACKET_IN}. */
    public static final int OFPT_PACKET_IN = 10;
    /** {@code OFPT_FLOW_REMOVED}. */
    public static final int OFPT_FLOW_REMOVED = 11;
    /** {@code NXT_FLOW_REMOVED}. */
    public static final int NXT_FLOW_REMOVED = 14;
    /** {@code NXT_PACKET_IN2}. */
    public static final int NXT_PACKET_IN2 = 30;

    private AsyncMessages() {
    }

    /**
     * Encodes a standard {@code OFPT_PACKET_IN} for {@code version}; {@code inPort} is used by OpenFlow 1.0 only
     * (16-bit), 1.3+ carry it in the metadata.
     */
    public static void encodePacketIn(ByteBuf out, int version, int xid, PacketIn pin, int inPort) {
        int s = OfHeader.write(out, version, OFPT_PACKET_IN, xid);
        out.writeInt((int) pin.bufferId()).writeShort(pin.totalLen());
        if (version == OfVersion.OF10) {
            out.writeShort(inPort).writeByte(pin.reason()).writeByte(0);
        } else {
            out.writeByte(pin.reason()).writeByte(pin.tableId()).writeLong(pin.cookie());
            MatchCodec.encodeOxm(out, pin.metadata());
            out.writeZero(2);
        }
        out.writeBytes(pin.data());
        OfHeader.patchLength(out, s);
    }

    /** Encodes {@code NXT_PACKET_IN2} (any version; OpenFlow 1.0 metadata should use NXM headers). */
    public static void encodePacketIn2(ByteBuf out, int version, int xid, PacketIn pin) {
        int s = OfHeader.writeNicira(out, version, xid, NXT_PACKET_IN2);
        byte[] data = pin.data();
        int p = prop(out, 0);
        out.writeBytes(data);
        endProp(out, p);
        if (pin.totalLen() > data.length) {
            p = prop(out, 1);
            out.writeInt(pin.totalLen());
            endProp(out, p);
        }
        if (pin.bufferId() != PacketIn.NO_BUFFER) {
            p = prop(out, 2);
            out.writeInt((int) pin.bufferId());
            endProp(out, p);
        }
        p = prop(out, 3);
        out.writeByte(pin.tableId());
        endProp(out, p);
        // ofpprop_put_be64(): 4 bytes of padding after the property header, so the u64 is 8-aligned.
        int c = out.writerIndex();
        out.writeShort(4).writeShort(16).writeZero(4).writeLong(pin.cookie());
        assert out.writerIndex() - c == 16;
        p = prop(out, 5);
        out.writeByte(pin.reason());
        endProp(out, p);
        p = prop(out, 6);
        MatchCodec.encodeTlvs(out, pin.metadata());
        endProp(out, p);
        byte[] ud = pin.userdata();
        if (ud != null) {
            p = prop(out, 7);
            out.writeBytes(ud);
            endProp(out, p);
        }
        OfHeader.patchLength(out, s);
    }

    private static int prop(ByteBuf out, int type) {
        int p = out.writerIndex();
        out.writeShort(type).writeShort(0);
        return p;
    }

    private static void endProp(ByteBuf out, int p) {
        out.setShort(p + 2, out.writerIndex() - p);
        OfHeader.pad8(out, p);
    }

    /** What a FLOW_REMOVED reports about a removed flow. */
    public record FlowRemoved(long cookie, int priority, int reason, int tableId, long durationSec,
                              long durationNsec, int idleTimeout, int hardTimeout, long packetCount,
                              long byteCount, Match match) {
        /** {@code OFPRR_IDLE_TIMEOUT}. */
        public static final int OFPRR_IDLE_TIMEOUT = 0;
        /** {@code OFPRR_HARD_TIMEOUT}. */
        public static final int OFPRR_HARD_TIMEOUT = 1;
        /** {@code OFPRR_DELETE}. */
        public static final int OFPRR_DELETE = 2;
        /** {@code OFPRR_GROUP_DELETE}: the flow's group was deleted. */
        public static final int OFPRR_GROUP_DELETE = 3;
    }

    /**
     * Encodes a standard FLOW_REMOVED for {@code version}. The match is written from its raw bytes if it is in the
     * version's format (OXM for 1.3+, OF10 for 1.0), else re-encoded from its entries.
     */
    public static void encodeFlowRemoved(ByteBuf out, int version, int xid, FlowRemoved fr) {
        int s = OfHeader.write(out, version, OFPT_FLOW_REMOVED, xid);
        if (version == OfVersion.OF10) {
            writeOf10Match(out, fr.match());
            out.writeLong(fr.cookie()).writeShort(fr.priority()).writeByte(fr.reason()).writeByte(0)
                    .writeInt((int) fr.durationSec()).writeInt((int) fr.durationNsec())
                    .writeShort(fr.idleTimeout()).writeShort(0)
                    .writeLong(fr.packetCount()).writeLong(fr.byteCount());
        } else if (version >= OfVersion.OF15) {
            out.writeByte(fr.tableId()).writeByte(fr.reason()).writeShort(fr.priority())
                    .writeShort(fr.idleTimeout()).writeShort(fr.hardTimeout()).writeLong(fr.cookie());
            writeOxmMatch(out, fr.match(), version);
            writeOxs(out, fr.durationSec(), fr.durationNsec(), -1, fr.packetCount(), fr.byteCount());
        } else {
            out.writeLong(fr.cookie()).writeShort(fr.priority()).writeByte(fr.reason()).writeByte(fr.tableId())
                    .writeInt((int) fr.durationSec()).writeInt((int) fr.durationNsec())
                    .writeShort(fr.idleTimeout()).writeShort(fr.hardTimeout())
                    .writeLong(fr.packetCount()).writeLong(fr.byteCount());
            writeOxmMatch(out, fr.match(), version);
        }
        OfHeader.patchLength(out, s);
    }

    /** Encodes NXT_FLOW_REMOVED (OpenFlow 1.0 connections using NXM). */
    public static void encodeNxFlowRemoved(ByteBuf out, int version, int xid, FlowRemoved fr) {
        int s = OfHeader.writeNicira(out, version, xid, NXT_FLOW_REMOVED);
        out.writeLong(fr.cookie()).writeShort(fr.priority()).writeByte(fr.reason()).writeByte(fr.tableId())
                .writeInt((int) fr.durationSec()).writeInt((int) fr.durationNsec()).writeShort(fr.idleTimeout());
        int ml = out.writerIndex();
        out.writeShort(0).writeLong(fr.packetCount()).writeLong(fr.byteCount());
        int m = out.writerIndex();
        int len = writeNxmMatch(out, fr.match());
        OfHeader.pad8(out, m);
        out.setShort(ml, len);
        OfHeader.patchLength(out, s);
    }

    /**
     * Writes {@code m} as an OXM {@code ofp_match} for {@code version}: its bytes if it came as OXM of the same form
     * (1.3 and 1.4 share it; 1.5 has OXM_OF_TCP_FLAGS and registers as xregs), else re-encoded as OVS's
     * {@code oxm_put_match()}.
     */
    static void writeOxmMatch(ByteBuf out, Match m, int version) {
        if (m.format() == Match.Format.OXM && Reencoder.sameForm(m.version(), version)) {
            out.writeBytes(m.raw());
        } else {
            MatchCodec.encodeOxmCanonical(out, m, version);
        }
    }

    static void writeOf10Match(ByteBuf out, Match m) {
        if (m.format() == Match.Format.OF10) {
            out.writeBytes(m.raw());
        } else {
            MatchCodec.encodeOf10(out, m.entries());
        }
    }

    /**
     * Writes the NXM TLVs (without padding) and returns their length: the bytes as received for an NXM match, else
     * re-encoded as OVS's {@code nx_put_match()} (NXM headers, {@code vlan_tci}, 16-bit {@code in_port}).
     */
    static int writeNxmMatch(ByteBuf out, Match m) {
        if (m.format() == Match.Format.NXM) {
            out.writeBytes(m.raw());
            return m.rawLength();
        }
        return MatchCodec.putRaw(out, m, 0);
    }

    /**
     * OpenFlow 1.5 {@code ofp_oxs_stat} with duration, idle_time (only when {@code idleAgeSec} ≥ 0, whole seconds as
     * OVS's {@code oxs_put_stats()} sends it), packet_count and byte_count, padded to 8.
     */
    static void writeOxs(ByteBuf out, long sec, long nsec, long idleAgeSec, long packets, long bytes) {
        int s = out.writerIndex();
        out.writeShort(0).writeShort(0);
        out.writeInt(0x80020008).writeInt((int) sec).writeInt((int) nsec);
        if (idleAgeSec >= 0) {
            out.writeInt(0x80020208).writeInt((int) idleAgeSec).writeInt(0);
        }
        out.writeInt(0x80020808).writeLong(packets);
        out.writeInt(0x80020a08).writeLong(bytes);
        out.setShort(s + 2, out.writerIndex() - s);
        OfHeader.pad8(out, s);
    }

    /** The metadata entries' OpenFlow 1.0 in_port, for callers that build an OpenFlow 1.0 packet-in. */
    public static int inPort16(List<MatchEntry> metadata) {
        for (MatchEntry e : metadata) {
            if (e.field() == MatchField.IN_PORT) {
                return (int) e.value();
            }
            if (e.field() == MatchField.IN_PORT_OXM) {
                return MatchField.portFromOfp11(e.value());
            }
        }
        return 0;
    }
}
