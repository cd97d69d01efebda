package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.ofctl.OfctlFlows;
import dev.ofswitch.ofswitch.ofctl.OfctlParseException;
import dev.ofswitch.ofswitch.port.Port;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Programs a switch in-process with ovs-ofctl's flow language, as {@code ovs-ofctl -O OpenFlow13 add-flow(s)} would
 * over a connection: the text is parsed by {@link OfctlFlows} into the FLOW_MOD ovs-ofctl sends, and the switch's
 * own decoding of it goes through the switch's FLOW_MOD handling ({@link OfSwitch#applyFlowMod}), checks included.
 * Port names resolve against the switch's ports, as ovs-ofctl resolves them from PORT_DESC. No Open vSwitch needed.
 *
 * <pre>{@code
 * FlowLoader.addFlows(sw, Path.of("flows.txt"));          // bin/ofswitch --flows flows.txt
 * FlowLoader.addFlow(sw, "priority=10,ip,actions=ct(table=1)");
 * }</pre>
 *
 * <p>OpenFlow 1.3 is the version used: the one the oracle loads its flow files with, so that the flow text
 * {@code dump-flows} prints afterwards is the text the oracle's reports show.
 */
public final class FlowLoader {
    /** The wire version flows are encoded in (the oracle's {@code ovs-ofctl -O OpenFlow13}). */
    public static final int VERSION = OfVersion.OF13;

    private FlowLoader() {
    }

    /** A flow ovs-ofctl would refuse, or one the switch refused: the message says which file, line and why. */
    public static final class FlowLoadException extends Exception {
        private static final long serialVersionUID = 1L;

        public FlowLoadException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Adds every flow of an add-flows file (ovs-ofctl syntax; lines may start with {@code add}, {@code modify},
     * {@code delete}, ...). A parse error names the file and line as ovs-ofctl does ({@code FILE:LINE: message});
     * flows before a refused one stay installed, as with ovs-ofctl.
     *
     * @return the number of flow mods applied
     */
    public static int addFlows(OfSwitch sw, Path file) throws IOException, FlowLoadException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return addFlows(sw, r, file.toString());
        }
    }

    /** As {@link #addFlows(OfSwitch, Path)}, from a reader; {@code name} is used in messages. */
    public static int addFlows(OfSwitch sw, Reader reader, String name) throws IOException, FlowLoadException {
        OfctlFlows.FlowModBatch batch;
        try {
            batch = OfctlFlows.parseFlowFile(reader, name, VERSION, FlowMod.OFPFC_ADD, portNames(sw));
        } catch (OfctlParseException e) {
            throw new FlowLoadException(e.getMessage());
        }
        return apply(sw, batch, name + ": ");
    }

    /** Adds one flow ({@code ovs-ofctl add-flow SWITCH FLOW}). */
    public static void addFlow(OfSwitch sw, String flow) throws FlowLoadException {
        apply(sw, parse(flow, FlowMod.OFPFC_ADD, portNames(sw)), "");
    }

    /**
     * Parses one flow as {@code ovs-ofctl -O OpenFlow13} would for this switch's port names, without applying it:
     * for checking flows before there is a switch (a topology file), pass the port names it will have.
     *
     * @param command {@link FlowMod#OFPFC_ADD}, {@code OFPFC_DELETE}, ...
     */
    public static OfctlFlows.FlowModBatch parse(String flow, int command, Map<String, Integer> portNames)
            throws FlowLoadException {
        try {
            return OfctlFlows.parseFlowMod(flow, VERSION, command, portNames);
        } catch (OfctlParseException e) {
            throw new FlowLoadException(e.getMessage());
        }
    }

    /** Applies parsed flow mods in order; {@code where} prefixes messages. */
    private static int apply(OfSwitch sw, OfctlFlows.FlowModBatch batch, String where) throws FlowLoadException {
        int n = 0;
        for (OfctlFlows.ParsedFlowMod p : batch.flowMods()) {
            if (p.flowMod() == null) {
                throw new FlowLoadException(where + "\"" + p.text() + "\": the switch cannot decode this flow: "
                        + p.decodeError());
            }
            try {
                sw.applyFlowMod(p.flowMod());
            } catch (OpenFlowException e) {
                throw new FlowLoadException(where + "\"" + p.text() + "\": refused by the switch: " + e.getMessage());
            }
            n++;
        }
        return n;
    }

    /**
     * The switch's port names as ovs-ofctl learns them from PORT_DESC: {@code pN} to N, the bridge's own name to
     * OVS's OFPP_LOCAL (0xfffe, the number ovs-ofctl's parser uses for LOCAL in every version).
     */
    public static Map<String, Integer> portNames(OfSwitch sw) {
        Map<String, Integer> m = new HashMap<>();
        for (Port p : sw.ports()) {
            m.put(p.name(), p.number() == Port.LOCAL ? PARSER_LOCAL : p.number());
        }
        return m;
    }

    /**
     * The port names of a switch that does not exist yet (a topology file's): its numbered ports by name, and the
     * bridge's own name for LOCAL, as {@link #portNames(OfSwitch)} will give once it runs.
     */
    public static Map<String, Integer> portNames(String bridgeName, Map<String, Integer> numberedPorts) {
        Map<String, Integer> m = new HashMap<>(numberedPorts);
        m.put(bridgeName, PARSER_LOCAL);
        return m;
    }

    /** OFPP_LOCAL as ovs-ofctl's parser numbers it in every version. */
    private static final int PARSER_LOCAL = 0xfffe;

    /** Convenience for tests and small tools: {@link #addFlows(OfSwitch, Reader, String)} on a string. */
    public static int addFlows(OfSwitch sw, String text, String name) throws FlowLoadException {
        try {
            return addFlows(sw, new StringReader(text), name);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string", e);
        }
    }
}
