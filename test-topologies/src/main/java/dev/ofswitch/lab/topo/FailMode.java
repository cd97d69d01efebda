package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a switch does while no controller is connected, as OVS's {@code ovs-vsctl set-fail-mode} (and Mininet's
 * {@code OVSSwitch(failMode=...)}). Written {@code "secure"} / {@code "standalone"} in JSON.
 */
public enum FailMode {
    /** Drop everything the flow table does not match; the default, as in OVS and Mininet. */
    @JsonProperty("secure")
    SECURE,
    /** Act as a learning switch (the {@code NORMAL} action) until a controller connects. */
    @JsonProperty("standalone")
    STANDALONE;

    /** The OVS spelling: {@code secure} or {@code standalone}. */
    public String ovsName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
