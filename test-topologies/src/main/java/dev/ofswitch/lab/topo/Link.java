package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A cable between two node ports. In JSON:
 *
 * <pre>
 * { "node1": "h1", "port1": 0, "node2": "s1", "port2": 1, "up": false, "delayMs": 5, "lossPercent": 1,
 *   "bandwidthMbps": 100 }
 * </pre>
 *
 * <p>Only {@code node1} and {@code node2} are required. A port left out is numbered as Mininet's
 * {@code Topo.addPort()} numbers it, in link order: the number of ports the node has so far, plus 1 on a switch
 * (OpenFlow ports start at 1) or plus 0 on a host ({@code h1-eth0}); {@link Topology#validate()} fills it in.
 * {@code up} absent means up. {@code delayMs} and {@code lossPercent} (0..100) apply in each direction, like
 * Mininet's {@code TCLink(delay=..., loss=...)}; {@code bandwidthMbps} is informational (Mininet's {@code bw}).
 *
 * <p>Which end is {@code node1} matters only for printing: Mininet's {@code links} shows
 * {@code node1-ethP1<->node2-ethP2} and sorts by these two names.
 *
 * @param node1         name of the first node
 * @param port1         port on the first node, or {@code null} before validation to number it as Mininet does
 * @param node2         name of the second node
 * @param port2         port on the second node, or {@code null} before validation
 * @param up            whether the link starts up; never null (absent means up)
 * @param delayMs       one-way delay in milliseconds, at least 0
 * @param lossPercent   chance in percent (0..100) that a frame is lost, in each direction
 * @param bandwidthMbps the nominal bandwidth in Mbit/s, or {@code null}; not enforced
 */
@JsonPropertyOrder({"node1", "port1", "node2", "port2", "up", "delayMs", "lossPercent", "bandwidthMbps"})
public record Link(
        String node1,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer port1,
        String node2,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer port2,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = JsonSupport.UpFilter.class) Boolean up,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double delayMs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double lossPercent,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double bandwidthMbps) {

    /** Fills the constant default: up. */
    public Link {
        up = up == null ? Boolean.TRUE : up;
    }

    /** A plain link whose ports are numbered as Mininet's {@code Topo.addLink(node1, node2)} numbers them. */
    public Link(String node1, String node2) {
        this(node1, null, node2, null, null, 0, 0, null);
    }

    /** A plain link between given ports: Mininet's {@code addLink(node1, node2, port1, port2)}. */
    public Link(String node1, int port1, String node2, int port2) {
        this(node1, port1, node2, port2, null, 0, 0, null);
    }

    /** Whether {@code node} is one of the two ends. */
    public boolean hasEnd(String node) {
        return node1.equals(node) || node2.equals(node);
    }

    /** The port on {@code node}, which must be one of the ends. */
    public int portOn(String node) {
        if (node1.equals(node)) {
            return port1;
        }
        if (node2.equals(node)) {
            return port2;
        }
        throw new IllegalArgumentException(node + " is not an end of link " + label());
    }

    /** The name of the node at the other end from {@code node}, which must be one of the ends. */
    public String peerOf(String node) {
        if (node1.equals(node)) {
            return node2;
        }
        if (node2.equals(node)) {
            return node1;
        }
        throw new IllegalArgumentException(node + " is not an end of link " + label());
    }

    /** This link, up or down. */
    public Link withUp(boolean isUp) {
        return new Link(node1, port1, node2, port2, isUp, delayMs, lossPercent, bandwidthMbps);
    }

    /** This link with a delay (ms) and a loss (%) in each direction. */
    public Link withDelayAndLoss(double newDelayMs, double newLossPercent) {
        return new Link(node1, port1, node2, port2, up, newDelayMs, newLossPercent, bandwidthMbps);
    }

    /** {@code s1:2 - h9:0}, as error messages show a link; ends not given show as {@code ?}. */
    String label() {
        return end(node1, port1) + " - " + end(node2, port2);
    }

    static String end(Object node, Object port) {
        return (node == null ? "?" : node.toString()) + (port == null ? "" : ":" + port);
    }
}
