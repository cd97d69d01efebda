package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.CtActionDecoder;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * ovs-ofctl's flow language: turns {@code add-flow}, {@code add-flows}, {@code mod-flows} and {@code del-flows} text
 * into the exact messages ovs-ofctl 3.1 sends, and into the switch's decoded {@link FlowMod}.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * FlowModBatch b = OfctlFlows.parseFlowMod(
 *         "table=1,priority=10,ip,ct_state=+trk+new,actions=ct(commit,zone=5),output:2",
 *         OfVersion.OF13, FlowMod.OFPFC_ADD);
 * byte[] wire = b.flowMods().get(0).bytes();      // what `ovs-ofctl -O OpenFlow13 add-flow` sends (xid 0)
 * FlowMod fm = b.flowMods().get(0).flowMod();     // the same, decoded by the switch's codec
 *
 * try (Reader r = Files.newBufferedReader(Path.of("flows.txt"))) {
 *     FlowModBatch all = OfctlFlows.parseFlowFile(r, "flows.txt", OfVersion.OF10, FlowMod.OFPFC_ADD);
 *     // all.preamble(): NXT_SET_FLOW_FORMAT / NXT_FLOW_MOD_TABLE_ID when OpenFlow 1.0 needs them
 * }
 * }</pre>
 *
 * <h2>What it reproduces</h2>
 * <ul>
 *   <li>the syntax of OVS's {@code parse_ofp_str__()}: shorthand protocols, every field this switch stores with
 *       masks, CIDR and names, subfield assignments ({@code NXM_NX_REG0[0..3]=5}), table, priority, cookie (with a
 *       mask for modify/delete), timeouts, importance, flags, out_port/out_group; actions and instructions of
 *       {@code lib/ofp-actions.c} including ct(...), nat(...), set_field, load, move, the action stack;</li>
 *   <li>the checks ovs-ofctl makes ({@code ofpacts_check()}) and its error texts ({@link OfctlParseException});</li>
 *   <li>the protocol choice of {@code open_vconn_for_flow_mod()}: with {@code -O OpenFlow13} (1.4, 1.5) an OXM
 *       FLOW_MOD or an error naming the usable formats; with OpenFlow 1.0 the standard FLOW_MOD when the flows fit,
 *       else NXT_SET_FLOW_FORMAT and/or NXT_FLOW_MOD_TABLE_ID first and NXT_FLOW_MOD (one choice per file, as
 *       add-flows makes it);</li>
 *   <li>the encoding of {@code ofputil_encode_flow_mod()}, including OVS's normalizations (a masked set_field on
 *       ct_mark becomes {@code load:...->NXM_NX_CT_MARK[..]} before 1.5, {@code mod_vlan_vid} pushes a tag in 1.1+,
 *       fields whose prerequisites the match lacks are not sent, ...).</li>
 * </ul>
 * Messages are built with transaction id 0; {@link #withXid(byte[], int)} sets another one.
 *
 * <h2>Limits</h2>
 * Fields and actions ovs-ofctl knows but this switch does not implement (tunnel metadata, NSH, learn,
 * bundle, multipath, clone, sample, encap/decap, output truncation, ...) are refused with
 * {@code "X: field not supported by this switch"} or {@code "X: action not supported by this switch"}; table names
 * are not resolved (numbers only). A flow the switch's decoder refuses (ovs-ofctl would send it anyway) has its
 * bytes, a null {@link ParsedFlowMod#flowMod()} and the decoder's reason in {@link ParsedFlowMod#decodeError()}.
 *
 * <p>Thread-safety: stateless; every method may be called from any thread.
 */
public final class OfctlFlows {
    private OfctlFlows() {
    }

    /** One parsed flow: its text, command, wire message and the switch's decoding of it. */
    public record ParsedFlowMod(String text, int command, byte[] bytes, FlowMod flowMod, String decodeError) {
        /** Copies the byte array. */
        public ParsedFlowMod {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /**
     * Flows parsed together (one line, or one add-flows file) and how ovs-ofctl sends them.
     *
     * @param version  the wire version of every message
     * @param protocol OVS's name of the chosen protocol ({@code OXM-OpenFlow13}, {@code OpenFlow10-table_id},
     *                 {@code NXM+table_id}, ...)
     * @param preamble messages ovs-ofctl sends first to switch an OpenFlow 1.0 connection to this protocol (each
     *                 followed by a barrier in ovs-ofctl); empty otherwise
     * @param flowMods the flow mods, in input order
     */
    public record FlowModBatch(int version, String protocol, List<byte[]> preamble, List<ParsedFlowMod> flowMods) {
        /** Copies the lists. */
        public FlowModBatch {
            preamble = List.copyOf(preamble);
            flowMods = List.copyOf(flowMods);
        }
    }

    /**
     * Parses one flow as {@code ovs-ofctl -O <version> add-flow|mod-flows|del-flows} does.
     *
     * @param text      the flow, e.g. {@code "priority=5,ip,actions=drop"}
     * @param ofVersion {@link OfVersion#OF10}, {@link OfVersion#OF13}, {@link OfVersion#OF14} or
     *                  {@link OfVersion#OF15} (ovs-ofctl's {@code -O}; OpenFlow 1.0 is ovs-ofctl's default)
     * @param command   {@link FlowMod#OFPFC_ADD}, {@code OFPFC_MODIFY} (mod-flows), {@code OFPFC_MODIFY_STRICT}
     *                  (mod-flows --strict), {@code OFPFC_DELETE} (del-flows), {@code OFPFC_DELETE_STRICT}
     * @throws OfctlParseException with ovs-ofctl's message if ovs-ofctl would refuse the text
     */
    public static FlowModBatch parseFlowMod(String text, int ofVersion, int command) throws OfctlParseException {
        return parseFlowMod(text, ofVersion, command, Map.of());
    }

    /** As {@link #parseFlowMod(String, int, int)}, resolving port names as ovs-ofctl does with the switch's ports. */
    public static FlowModBatch parseFlowMod(String text, int ofVersion, int command, Map<String, Integer> portNames)
            throws OfctlParseException {
        checkArgs(ofVersion, command);
        FlowParser.Parsed p = FlowParser.parse(cString(text), command, FieldValues.PortMap.of(portNames));
        return batch(List.of(p), List.of(text), p.usable(), ofVersion);
    }

    /**
     * As {@link #parseFlowMod(String, int, int)}, resolving port names with {@code portNumber} (a name to its 16-bit
     * number, or -1), which is asked only for names that are neither numbers nor reserved ports.
     */
    public static FlowModBatch parseFlowMod(String text, int ofVersion, int command,
                                            ToIntFunction<String> portNumber) throws OfctlParseException {
        checkArgs(ofVersion, command);
        FlowParser.Parsed p = FlowParser.parse(cString(text), command, portNumber::applyAsInt);
        return batch(List.of(p), List.of(text), p.usable(), ofVersion);
    }

    /**
     * OVS {@code ofputil_port_from_string()} without a port map: a number (16-bit, or a 32-bit OpenFlow 1.1 reserved
     * number) or a reserved name ({@code LOCAL}, {@code CONTROLLER}, ...); -1 for anything else.
     */
    public static int portFromString(String s) {
        return FieldValues.portFromString(s, FieldValues.PortMap.NONE);
    }

    /**
     * Parses an add-flows (or del-flows, mod-flows) file as ovs-ofctl does: one flow per line, '#' to the end of a
     * line is a comment, blank lines are skipped (there is no line continuation). With {@link FlowMod#OFPFC_ADD} a
     * line may start with {@code add}, {@code modify}, {@code modify_strict}, {@code delete} or
     * {@code delete_strict}. Errors are prefixed {@code FILE:LINE: } as ovs-ofctl prefixes them.
     *
     * @param fileName the name used in error messages
     */
    public static FlowModBatch parseFlowFile(Reader reader, String fileName, int ofVersion, int command)
            throws IOException, OfctlParseException {
        return parseFlowFile(reader, fileName, ofVersion, command, Map.of());
    }

    /** As {@link #parseFlowFile(Reader, String, int, int)}, resolving port names. */
    public static FlowModBatch parseFlowFile(Reader reader, String fileName, int ofVersion, int command,
                                             Map<String, Integer> portNames) throws IOException, OfctlParseException {
        return parseFlowFile(reader, fileName, ofVersion, command,
                (ToIntFunction<String>) name -> portNames.getOrDefault(name, -1));
    }

    /** As {@link #parseFlowFile(Reader, String, int, int)}, resolving port names with {@code portNumber}. */
    public static FlowModBatch parseFlowFile(Reader reader, String fileName, int ofVersion, int command,
                                             ToIntFunction<String> portNumber)
            throws IOException, OfctlParseException {
        checkArgs(ofVersion, command);
        int lineCommand = command == FlowMod.OFPFC_ADD ? FlowParser.COMMAND_FROM_LINE : command;
        List<FlowParser.Parsed> parsed = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int usable = Protocols.ANY;
        int lineNumber = 0;
        // As OVS ds_get_preprocessed_line(): lines end at '\n' only (a '\r' stays in the line), '#' starts a
        // comment, a line of only blanks (' ', '\t') is skipped.
        StringBuilder all = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = reader.read(buf)) > 0; ) {
            all.append(buf, 0, n);
        }
        String[] lines = all.toString().split("\n", -1);
        int count = all.length() > 0 && all.charAt(all.length() - 1) == '\n' ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            lineNumber++;
            int hash = line.indexOf('#');
            String text = cString(hash >= 0 ? line.substring(0, hash) : line);
            if (text.chars().allMatch(c -> c == ' ' || c == '\t')) {
                continue;
            }
            try {
                FlowParser.Parsed p = FlowParser.parse(text, lineCommand, portNumber::applyAsInt);
                parsed.add(p);
                texts.add(text);
                usable &= p.usable();
            } catch (OfctlParseException e) {
                throw e.withPrefix(fileName + ":" + lineNumber + ": ");
            }
        }
        return batch(parsed, texts, usable, ofVersion);
    }

    /** {@code msg} with its OpenFlow transaction id (bytes 4..7) set to {@code xid}. */
    public static byte[] withXid(byte[] msg, int xid) {
        byte[] b = msg.clone();
        b[4] = (byte) (xid >>> 24);
        b[5] = (byte) (xid >>> 16);
        b[6] = (byte) (xid >>> 8);
        b[7] = (byte) xid;
        return b;
    }

    private static void checkArgs(int ofVersion, int command) {
        if (ofVersion != OfVersion.OF10 && ofVersion != OfVersion.OF13 && ofVersion != OfVersion.OF14
                && ofVersion != OfVersion.OF15) {
            throw new IllegalArgumentException("OpenFlow version " + ofVersion + " is not supported");
        }
        if (command < FlowMod.OFPFC_ADD || command > FlowMod.OFPFC_DELETE_STRICT) {
            throw new IllegalArgumentException("flow mod command " + command);
        }
    }

    /** ovs-ofctl reads C strings: a NUL ends the text. */
    private static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    /** A protocol ovs-ofctl settles on and the messages that switch the connection to it. */
    record Choice(int protocol, List<byte[]> preamble) {
    }

    /**
     * OVS {@code open_vconn_for_flow_mod()}: keep the connection's protocol if usable (OpenFlow 1.0: the standard
     * match without table ids; 1.3+: OXM of that version), else the first usable allowed protocol in bit order,
     * reached with NXT_SET_FLOW_FORMAT then NXT_FLOW_MOD_TABLE_ID ({@code ofputil_encode_set_protocol()}).
     */
    static Choice choose(int usable, int version) throws OfctlParseException {
        int allowed = Protocols.allowedFor(version);
        if ((usable & allowed) == 0) {
            throw new OfctlParseException("none of the usable flow formats (" + Protocols.toString(usable)
                    + ") is among the allowed flow formats (" + Protocols.toString(allowed) + ")", "");
        }
        int current = version == OfVersion.OF10 ? Protocols.OF10_STD : allowed;
        int chosen = current;
        if ((usable & allowed & current) == 0) {
            chosen = Integer.lowestOneBit(usable & allowed & ~current);
        }
        List<byte[]> preamble = new ArrayList<>();
        if ((chosen & Protocols.OF10_NXM_ANY) != 0) {
            preamble.add(FlowModEncoder.setFlowFormat(0));
        }
        if ((chosen & (Protocols.OF10_STD_TID | Protocols.OF10_NXM_TID)) != 0) {
            preamble.add(FlowModEncoder.flowModTableId(0));
        }
        return new Choice(chosen, List.copyOf(preamble));
    }

    /** Encodes the flows in the protocol {@link #choose} picks, and decodes each as the switch would. */
    private static FlowModBatch batch(List<FlowParser.Parsed> parsed, List<String> texts, int usable, int version)
            throws OfctlParseException {
        Choice choice = choose(usable, version);
        int chosen = choice.protocol();
        List<byte[]> preamble = choice.preamble();
        boolean tid = (chosen & (Protocols.OF10_STD_TID | Protocols.OF10_NXM_TID)) != 0;
        List<ParsedFlowMod> out = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            FlowParser.Parsed p = parsed.get(i);
            byte[] bytes = FlowModEncoder.encode(p, chosen, 0);
            FlowMod fm = null;
            String error = null;
            try {
                fm = FlowModCodec.decode(Unpooled.wrappedBuffer(bytes), tid, CtActionDecoder.INSTANCE);
            } catch (OpenFlowException e) {
                error = e.code() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                error = "decoder failed: " + e;
            }
            out.add(new ParsedFlowMod(texts.get(i), p.command(), bytes, fm, error));
        }
        return new FlowModBatch(version, Protocols.name(chosen), preamble, out);
    }
}
