package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An emulated host. In JSON:
 *
 * <pre>
 * { "name": "h1", "ip": "10.0.0.1/8", "mac": "00:00:00:00:00:01", "gateway": "10.0.0.254" }
 * </pre>
 *
 * <p>Only {@code name} is required. The address applies to the host's default interface, its lowest-numbered port
 * ({@code h1-eth0}; Mininet's {@code Node.defaultIntf()}). Defaults, as Mininet's {@code Mininet.addHost()}:
 * {@code ip} is {@code 10.0.0.N/8} where N is the host's place (from 1) in Mininet's host order (names in natural
 * order, see {@link Topology#hostsInNetOrder()}), filled in by {@link Topology#validate()}; an address without a
 * prefix gets {@code /8} ({@code Node.setIP(ip, prefixLen=8)}). {@code mac} absent means the lab picks one, except
 * that {@link Topology#withAutoMacs()} (Mininet's {@code --mac}) gives host N {@code 00:00:00:00:00:0N} in hex.
 * {@code gateway} absent means no default route.
 *
 * @param name    the host's name, e.g. {@code h1}
 * @param ip      address and prefix length, {@code 10.0.0.1/8}; {@code null} before validation for the default
 * @param mac     lower-case colon hex, or {@code null} for the lab's choice
 * @param gateway default route's next hop, an address in the host's subnet, or {@code null} for none
 */
@JsonPropertyOrder({"name", "ip", "mac", "gateway"})
public record Host(
        String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) String ip,
        @JsonInclude(JsonInclude.Include.NON_NULL) String mac,
        @JsonInclude(JsonInclude.Include.NON_NULL) String gateway) implements Node {

    /** A host with every default: Mininet's {@code addHost('h1')}. */
    public Host(String name) {
        this(name, null, null, null);
    }

    /** The address without its prefix, {@code 10.0.0.1}; the topology must be validated. */
    public String ipAddress() {
        requireIp();
        return ip.substring(0, ip.indexOf('/'));
    }

    /** The prefix length, 8 for {@code 10.0.0.1/8}; the topology must be validated. */
    public int prefixLength() {
        requireIp();
        return Integer.parseInt(ip.substring(ip.indexOf('/') + 1));
    }

    private void requireIp() {
        if (ip == null || ip.indexOf('/') < 0) {
            throw new IllegalStateException("host " + name + " has no IP/prefix yet (validate the topology)");
        }
    }

    /** This host with another address ({@code 10.0.0.1/8}). */
    public Host withIp(String newIp) {
        return new Host(name, newIp, mac, gateway);
    }

    /** This host with another MAC address ({@code null}: the lab's choice). */
    public Host withMac(String newMac) {
        return new Host(name, ip, newMac, gateway);
    }
}
