package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The OpenFlow versions the ofswitch speaks, named as OVS's {@code protocols} column spells them
 * ({@code ovs-vsctl set bridge s1 protocols=OpenFlow10,OpenFlow13}); JSON uses those names.
 */
public enum OpenFlowVersion {
    /** OpenFlow 1.0, wire version 0x01. */
    @JsonProperty("OpenFlow10")
    OF10(0x01),
    /** OpenFlow 1.3, wire version 0x04. */
    @JsonProperty("OpenFlow13")
    OF13(0x04),
    /** OpenFlow 1.4, wire version 0x05. */
    @JsonProperty("OpenFlow14")
    OF14(0x05),
    /** OpenFlow 1.5, wire version 0x06. */
    @JsonProperty("OpenFlow15")
    OF15(0x06);

    /** Every version, in wire order: a switch's default, as the ofswitch offers all of them in its HELLO. */
    public static final List<OpenFlowVersion> ALL = List.of(values());

    private final int wireVersion;

    OpenFlowVersion(int wireVersion) {
        this.wireVersion = wireVersion;
    }

    /** The {@code ofp_header.version} byte. */
    public int wireVersion() {
        return wireVersion;
    }

    /** The OVS name, e.g. {@code OpenFlow13}. */
    public String ovsName() {
        return "OpenFlow1" + name().charAt(3);
    }
}
