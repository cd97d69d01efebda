package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenFlow switch of the lab: one ofswitch instance. In JSON:
 *
 * <pre>
 * { "name": "s1", "dpid": "0000000000000001", "protocols": ["OpenFlow13"], "failMode": "secure",
 *   "controllers": ["tcp:127.0.0.1:6653"], "listenPort": 6654,
 *   "flows": ["table=0,priority=10,ip,actions=ct(table=1)", "table=1,ct_state=+trk+new,ip,actions=ct(commit),NORMAL"] }
 * </pre>
 *
 * <p>Only {@code name} is required. Defaults: {@code dpid} from the name (see {@link #defaultDpid(String)}), filled
 * in by {@link Topology#validate()}; {@code protocols} all of {@link OpenFlowVersion#ALL}; {@code failMode}
 * {@link FailMode#SECURE}; {@code controllers} empty, meaning the lab's default controller (Mininet's {@code c0});
 * {@code listenPort} none, meaning no passive OpenFlow listener ({@link Topology#withListenPorts(int)} gives every
 * switch one as Mininet's {@code --listenport} does); {@code flows} none. Flows are {@code ovs-ofctl add-flows} lines
 * (our parser, {@code dev.ofswitch.ofswitch.ofctl}), checked when the topology is validated (a bad one names the
 * file, the switch and the line) and installed when the switch starts, before it connects to its controller; port
 * names are the switch's interfaces ({@code s1-eth1}).
 *
 * <p>Port numbers are not listed here: a switch has the ports its {@link Link}s name, and its port {@code N} is the
 * OpenFlow port {@code N} and the interface {@code s1-ethN} (see {@link MininetFormat#intfName(String, int)}).
 *
 * @param name        the switch's name, e.g. {@code s1}
 * @param dpid        the datapath id, or {@code null} before validation to derive it from the name
 * @param protocols   the OpenFlow versions offered in HELLO; never null (absent means all)
 * @param failMode    what happens without a controller; never null (absent means secure)
 * @param controllers active controller targets {@code tcp:IP:PORT}; never null (empty means the lab's default)
 * @param listenPort  TCP port of a passive listener ({@code ovs-ofctl ... tcp:127.0.0.1:PORT}), or {@code null}
 * @param flows       flows to install at start, in ovs-ofctl's syntax; never null (absent means none)
 */
@JsonPropertyOrder({"name", "dpid", "protocols", "failMode", "controllers", "listenPort", "flows"})
public record Switch(
        String name,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonSerialize(using = JsonSupport.DpidWriter.class)
        @JsonDeserialize(using = JsonSupport.DpidReader.class)
        Long dpid,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = JsonSupport.AllVersionsFilter.class)
        @JsonSetter(contentNulls = Nulls.FAIL)
        List<OpenFlowVersion> protocols,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = JsonSupport.SecureFilter.class)
        FailMode failMode,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @JsonSetter(contentNulls = Nulls.FAIL)
        List<String> controllers,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer listenPort,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @JsonSetter(contentNulls = Nulls.FAIL)
        List<String> flows) implements Node {

    private static final Pattern FIRST_NUMBER = Pattern.compile("\\d+");

    /** Fills the constant defaults (protocols, fail mode, controllers); the dpid waits for validation. */
    public Switch {
        protocols = protocols == null ? OpenFlowVersion.ALL : List.copyOf(protocols);
        failMode = failMode == null ? FailMode.SECURE : failMode;
        controllers = controllers == null ? List.of() : List.copyOf(controllers);
        flows = flows == null ? List.of() : List.copyOf(flows);
    }

    /** A switch without flows. */
    public Switch(String name, Long dpid, List<OpenFlowVersion> protocols, FailMode failMode, List<String> controllers,
                  Integer listenPort) {
        this(name, dpid, protocols, failMode, controllers, listenPort, null);
    }

    /** A switch with every default: Mininet's {@code addSwitch('s1')}. */
    public Switch(String name) {
        this(name, null, null, null, null, null, null);
    }

    /**
     * The dpid Mininet gives a switch it was not given one for ({@code Switch.defaultDpid()} in
     * {@code mininet/node.py}): the first decimal number in the name, so {@code s1} is 1, {@code s12} is 0xc and
     * {@code s3x2} is 3.
     *
     * @return the dpid, or empty if the name has no digits or its first number does not fit in 64 bits
     */
    public static OptionalLong defaultDpid(String name) {
        Matcher m = FIRST_NUMBER.matcher(name);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(m.group()));
        } catch (NumberFormatException tooBig) {
            return OptionalLong.empty();
        }
    }

    /** The dpid as OVS and Mininet print it: 16 hex digits, e.g. {@code 000000000000000c}. */
    public String dpidHex() {
        if (dpid == null) {
            throw new IllegalStateException("switch " + name + " has no dpid yet (validate the topology)");
        }
        return JsonSupport.dpidHex(dpid);
    }

    /** This switch with another dpid. */
    public Switch withDpid(Long newDpid) {
        return new Switch(name, newDpid, protocols, failMode, controllers, listenPort, flows);
    }

    /** This switch with another passive listener port ({@code null}: none). */
    public Switch withListenPort(Integer port) {
        return new Switch(name, dpid, protocols, failMode, controllers, port, flows);
    }
}
