package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.MatchCodec;
import dev.ofswitch.ofswitch.codec.OfHeader;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.PacketOut;
import dev.ofswitch.ofswitch.codec.Reencoder;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The other requests ovs-ofctl 3.1 builds from text: PACKET_OUT ({@code packet-out}, both syntaxes), the flow stats
 * request of {@code dump-flows SWITCH FLOW}, and the port stats request of {@code dump-ports SWITCH [PORT]}, byte for
 * byte as ovs-ofctl sends them (transaction id 0 here; the caller numbers them).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * // ovs-ofctl -O OpenFlow13 packet-out SWITCH 1 'ct(commit),output:2' 5054...
 * Batch b = OfctlRequests.packetOut(1, "ct(commit),output:2", List.of("5054..."), OfVersion.OF13, n -> -1);
 * // ovs-ofctl packet-out SWITCH 'in_port=1,reg0=5,packet=5054...,actions=output:2'
 * Batch c = OfctlRequests.packetOut("in_port=1,reg0=5,packet=5054...,actions=output:2", OfVersion.OF10, n -> -1);
 * // c.preamble(): NXT_SET_FLOW_FORMAT, because reg0 made the request NXM-only (ovs-ofctl then drops reg0 anyway:
 * // an OpenFlow 1.0 PACKET_OUT has no place for pipeline fields; 1.5 sends them in its match)
 * }</pre>
 *
 * <p>Port names go through {@code portNames} (a name to its number, or -1), as ovs-ofctl resolves them with the
 * switch's port descriptions. Stateless.
 */
public final class OfctlRequests {
    private OfctlRequests() {
    }

    /**
     * Requests ovs-ofctl sends on one connection: {@code preamble} (each followed by a barrier, as ovs-ofctl's
     * {@code try_set_protocol()} does) then {@code messages} (for packet-out and flow mods, each followed by a
     * barrier too).
     *
     * @param protocol OVS's name of the protocol the messages are in ({@code NXM-table_id}, {@code OXM-OpenFlow13})
     */
    public record Batch(int version, String protocol, List<byte[]> preamble, List<byte[]> messages) {
        /** Copies the lists. */
        public Batch {
            preamble = List.copyOf(preamble);
            messages = List.copyOf(messages);
        }
    }

    /**
     * {@code packet-out SWITCH IN_PORT ACTIONS PACKET...} (the syntax used with more than one argument after the
     * switch): one PACKET_OUT per packet, {@code inPort} already resolved (ovs-ofctl's {@code str_to_port_no()}).
     *
     * @param packets each a hex string (blanks between bytes allowed), at least an Ethernet header
     * @throws OfctlParseException with ovs-ofctl's message
     */
    public static Batch packetOut(int inPort, String actions, List<String> packets, int version,
                                  ToIntFunction<String> portNames) throws OfctlParseException {
        ActionParser ap = new ActionParser(portNames::applyAsInt);
        List<Ofpact> ofpacts = ap.parseActions(actions);
        MatchState md = new MatchState();
        md.setValue(OvsField.of(MatchField.IN_PORT), FieldValues.bytes(inPort, 2));
        List<byte[]> frames = new ArrayList<>();
        for (String hex : packets) {
            frames.add(ethFromHex(hex, ""));
        }
        return packetOutBatch(md, ofpacts, frames, ap.usable, version);
    }

    /**
     * {@code packet-out SWITCH "in_port=...,packet=HEX,actions=..."} (OVS {@code parse_ofp_packet_out_str()}):
     * {@code in_port} (default CONTROLLER), pipeline fields (registers, metadata, tunnel fields), {@code packet}
     * (required), then {@code actions} (optional: none is a drop).
     *
     * @throws OfctlParseException with ovs-ofctl's message
     */
    public static Batch packetOut(String text, int version, ToIntFunction<String> portNames)
            throws OfctlParseException {
        FieldValues.PortMap ports = portNames::applyAsInt;
        String string = text;
        String actStr = null;
        // OVS ofp_extract_actions(): cut at the first "action"; without a '=' after it there are no actions.
        int at = string.indexOf("action");
        if (at >= 0) {
            int eq = string.indexOf('=', at + 1);
            actStr = eq < 0 ? null : string.substring(eq + 1);
            string = string.substring(0, at);
        }
        MatchState md = new MatchState();
        md.setValue(OvsField.of(MatchField.IN_PORT), FieldValues.bytes(Action.OFPP_CONTROLLER, 2));
        int usable = Protocols.ANY;
        byte[] packet = null;
        KeyValues kv = new KeyValues(string);
        while (kv.next()) {
            String name = kv.key();
            String value = kv.value();
            if (value.isEmpty()) {
                throw new OfctlParseException("field " + name + " missing value", name);
            }
            if (name.equals("in_port")) {
                int p = FieldValues.portFromString(value, ports);
                if (p < 0) {
                    throw new OfctlParseException(value + " is not a valid OpenFlow port", value);
                }
                if (p > Action.OFPP_MAX && p != Action.OFPP_LOCAL && p != Action.OFPP_NONE
                        && p != Action.OFPP_CONTROLLER) {
                    throw new OfctlParseException(value + " is not a valid OpenFlow port for PACKET_OUT", value);
                }
                md.setValue(OvsField.of(MatchField.IN_PORT), FieldValues.bytes(p, 2));
            } else if (name.equals("packet")) {
                packet = ethFromHex(value, "packet: ");
            } else if (name.equals("packet_type")) {
                throw new OfctlParseException("packet_type: field not supported by this switch", name);
            } else {
                OvsField mf = OvsField.byName(name);
                if (mf == null) {
                    if (OvsField.isUnsupported(name)) {
                        throw Subfields.unsupportedField(name);
                    }
                    throw new OfctlParseException("unknown keyword " + name, name);
                }
                FieldValues.Masked m = FieldValues.parse(mf, value, ports);
                usable &= md.set(mf, m.value(), m.mask());
                if (!isPipelineField(mf.field())) {
                    throw new OfctlParseException(name + " is not a valid pipeline field for PACKET_OUT", name);
                }
            }
        }
        if (packet == null) {
            throw new OfctlParseException("must specify packet", text);
        }
        List<Ofpact> ofpacts = List.of();
        if (actStr != null) {
            ActionParser ap = new ActionParser(ports);
            ofpacts = ap.parseActions(actStr);
            usable &= ap.usable;
        }
        return packetOutBatch(md, ofpacts, List.of(packet), usable, version);
    }

    /** OVS {@code mf_is_pipeline_field()}: what a PACKET_OUT may carry besides the packet. */
    static boolean isPipelineField(MatchField f) {
        String n = f.name();
        return f == MatchField.IN_PORT || f == MatchField.IN_PORT_OXM || f == MatchField.METADATA
                || n.startsWith("REG") || n.startsWith("XREG") || n.startsWith("XXREG") || n.startsWith("TUN_");
    }

    /**
     * OVS {@code eth_from_hex()}: hex byte pairs, blanks allowed between them; anything else left over is "Trailing
     * garbage", fewer than 14 bytes "too short for Ethernet".
     */
    static byte[] ethFromHex(String hex, String prefix) throws OfctlParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            while (i < hex.length() && " \t\r\n".indexOf(hex.charAt(i)) >= 0) {
                i++;
            }
            if (i + 1 >= hex.length() || Character.digit(hex.charAt(i), 16) < 0
                    || Character.digit(hex.charAt(i + 1), 16) < 0) {
                break;
            }
            out.write(Character.digit(hex.charAt(i), 16) << 4 | Character.digit(hex.charAt(i + 1), 16));
            i += 2;
        }
        if (i < hex.length()) {
            throw new OfctlParseException(prefix + "Trailing garbage in packet data", hex);
        }
        if (out.size() < 14) {
            throw new OfctlParseException(prefix + "Packet data too short for Ethernet", hex);
        }
        return out.toByteArray();
    }

    /**
     * ovs-ofctl's {@code open_vconn_for_flow_mod()} choice, then {@code ofputil_encode_packet_out()} per packet:
     * <pre>
     * OpenFlow 1.0:     header | buffer_id ffffffff | in_port(2) | actions_len(2) | actions | packet
     * OpenFlow 1.1-1.4: header | buffer_id ffffffff | in_port(4) | actions_len(2) | pad(6) | actions | packet
     * OpenFlow 1.5:     header | buffer_id ffffffff | actions_len(2) | pad(2) | OXM match (in_port, pipeline
     *                   fields) | actions | packet
     * </pre>
     * Pipeline fields other than in_port are lost before 1.5, as in OVS.
     */
    private static Batch packetOutBatch(MatchState md, List<Ofpact> ofpacts, List<byte[]> packets, int usable,
                                        int version) throws OfctlParseException {
        OfctlFlows.Choice choice = OfctlFlows.choose(usable, version);
        List<Action> actions = new ArrayList<>();
        for (Ofpact a : ofpacts) {
            actions.addAll(FlowModEncoder.toActions(a, version));
        }
        int inPort = (int) FieldValues.toLong(md.get(OvsField.of(MatchField.IN_PORT)).value());
        List<byte[]> out = new ArrayList<>();
        for (byte[] packet : packets) {
            ByteBuf b = Unpooled.buffer();
            int start = OfHeader.write(b, version, PacketOut.OFPT_PACKET_OUT, 0);
            b.writeInt(-1);
            int lenAt;
            if (version == OfVersion.OF10) {
                b.writeShort(inPort);
                lenAt = b.writerIndex();
                b.writeShort(0);
            } else if (version < OfVersion.OF15) {
                b.writeInt((int) MatchField.portToOfp11(inPort));
                lenAt = b.writerIndex();
                b.writeShort(0).writeZero(6);
            } else {
                lenAt = b.writerIndex();
                b.writeShort(0).writeZero(2);
                int mstart = b.writerIndex();
                b.writeShort(MatchCodec.OFPMT_OXM).writeShort(0);
                int len = MatchCodec.putRaw(b, md.values, md.masks, version, md.tcpFlagsFullMask);
                b.setShort(mstart + 2, len + 4);
                OfHeader.pad8(b, mstart);
            }
            int astart = b.writerIndex();
            Reencoder.writeParsedActions(b, actions, version);
            b.setShort(lenAt, b.writerIndex() - astart);
            b.writeBytes(packet);
            OfHeader.patchLength(b, start);
            out.add(ByteBufUtil.getBytes(b));
        }
        return new Batch(version, Protocols.name(choice.protocol()), choice.preamble(), out);
    }

    /**
     * {@code dump-flows SWITCH FLOW} (and without FLOW, {@code ""}): OVS {@code parse_ofp_flow_stats_request_str()}
     * (the match, {@code table}, {@code out_port}, {@code out_group}, {@code cookie=V/M}) then
     * {@code set_protocol_for_flow_dump()}: over OpenFlow 1.0 always NXM (so the preamble is NXT_SET_FLOW_FORMAT),
     * else the connection's OXM version.
     * <pre>
     * OpenFlow 1.0 NXST_FLOW: stats header (vendor 0x2320, subtype 0) | out_port(2) | match_len(2) | table_id(1) |
     *                         pad(3) | NXM match incl. NXM_NX_COOKIE, padded to 8
     * OpenFlow 1.3+:          multipart header (type FLOW) | table_id(1) | pad(3) | out_port(4) | out_group(4) |
     *                         pad(4) | cookie(8) | cookie_mask(8) | OXM match
     * </pre>
     *
     * @throws OfctlParseException with ovs-ofctl's message
     */
    public static Batch flowStatsRequest(String text, int version, ToIntFunction<String> portNames)
            throws OfctlParseException {
        FlowParser.Parsed p = FlowParser.parse(text, FlowParser.COMMAND_STATS, portNames::applyAsInt);
        int usable = p.usable();
        int wanted = version == OfVersion.OF10 ? Protocols.OF10_NXM : Protocols.allowedFor(version);
        if ((usable & wanted) == 0) {
            int allowed = Protocols.allowedFor(version);
            if ((usable & allowed) != 0) {
                throw new OfctlParseException("switch does not support any of the usable flow formats ("
                        + Protocols.toString(usable) + ")", text);
            }
            throw new OfctlParseException("none of the usable flow formats (" + Protocols.toString(usable)
                    + ") is among the allowed flow formats (" + Protocols.toString(allowed) + ")", text);
        }
        ByteBuf b = Unpooled.buffer();
        List<byte[]> preamble = new ArrayList<>();
        if (version == OfVersion.OF10) {
            preamble.add(FlowModEncoder.setFlowFormat(0));
            int start = OfHeader.write(b, version, FlowStats.OFPT10_STATS_REQUEST, 0);
            b.writeShort(FlowStats.OFPST_VENDOR).writeShort(0).writeInt(0x2320).writeInt(0).writeZero(4);
            b.writeShort(p.outPort());
            int matchLenAt = b.writerIndex();
            b.writeShort(0).writeByte(p.tableId()).writeZero(3);
            int mstart = b.writerIndex();
            int len = FlowModEncoder.putMatch(b, p.match(), 0, p.cookie(), p.cookieMask());
            OfHeader.pad8(b, mstart);
            b.setShort(matchLenAt, len);
            OfHeader.patchLength(b, start);
        } else {
            int start = OfHeader.write(b, version, FlowStats.OFPT13_MULTIPART_REQUEST, 0);
            b.writeShort(FlowStats.OFPST_FLOW).writeShort(0).writeZero(4);
            b.writeByte(p.tableId()).writeZero(3);
            b.writeInt((int) MatchField.portToOfp11(p.outPort())).writeInt((int) p.outGroup()).writeZero(4);
            b.writeLong(p.cookie() & p.cookieMask()).writeLong(p.cookieMask());
            int mstart = b.writerIndex();
            b.writeShort(MatchCodec.OFPMT_OXM).writeShort(0);
            int len = FlowModEncoder.putMatch(b, p.match(), version, 0, 0);
            b.setShort(mstart + 2, len + 4);
            OfHeader.pad8(b, mstart);
            OfHeader.patchLength(b, start);
        }
        String protocol = Protocols.name(version == OfVersion.OF10 ? Protocols.OF10_NXM : wanted);
        return new Batch(version, protocol, preamble, List.of(ByteBufUtil.getBytes(b)));
    }

    /**
     * OVS {@code ofputil_encode_dump_ports_request()}: OpenFlow 1.0 {@code OFPST_PORT} with a 16-bit port
     * (OFPP_NONE for all) and 6 bytes of padding; 1.1+ {@code OFPMP_PORT_STATS} with a 32-bit port (OFPP_ANY) and
     * 4 bytes of padding.
     *
     * @param port16 OVS's 16-bit port number, {@link Action#OFPP_NONE} (OFPP_ANY) for every port
     */
    public static byte[] portStatsRequest(int version, int port16, int xid) {
        ByteBuf b = Unpooled.buffer(24);
        if (version == OfVersion.OF10) {
            int start = OfHeader.write(b, version, FlowStats.OFPT10_STATS_REQUEST, xid);
            b.writeShort(PortStatsPrinter.OFPST_PORT).writeShort(0);
            b.writeShort(port16).writeZero(6);
            OfHeader.patchLength(b, start);
        } else {
            int start = OfHeader.write(b, version, FlowStats.OFPT13_MULTIPART_REQUEST, xid);
            b.writeShort(PortStatsPrinter.OFPST_PORT).writeShort(0).writeZero(4);
            b.writeInt((int) MatchField.portToOfp11(port16)).writeZero(4);
            OfHeader.patchLength(b, start);
        }
        return ByteBufUtil.getBytes(b);
    }
}
