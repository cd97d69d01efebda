package dev.ofswitch.lab.topo;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Topology} the way a Mininet {@code Topo.build()} does: add switches, hosts and links in order.
 * Ports left out are numbered by {@link Topology#validate()} as Mininet's {@code Topo.addPort()} numbers them, in
 * the order links were added, so the same calls give the same ports as in Mininet.
 *
 * <pre>{@code
 * Topology t = Topology.builder("pair")
 *         .addSwitch("s1").addHost("h1").addHost("h2")
 *         .addLink("h1", "s1").addLink("h2", "s1")   // h1-eth0<->s1-eth1, h2-eth0<->s1-eth2
 *         .build().validate();
 * }</pre>
 *
 * <p>Thread-safety: none; one thread builds.
 */
public final class TopologyBuilder {
    private final String name;
    private String description;
    private final List<Switch> switches = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();

    TopologyBuilder(String name) {
        this.name = name;
    }

    /** Free text for people. */
    public TopologyBuilder description(String text) {
        this.description = text;
        return this;
    }

    /** {@code addSwitch('s1')}: every default. */
    public TopologyBuilder addSwitch(String switchName) {
        return addSwitch(new Switch(switchName));
    }

    public TopologyBuilder addSwitch(Switch sw) {
        switches.add(sw);
        return this;
    }

    /** {@code addHost('h1')}: every default. */
    public TopologyBuilder addHost(String hostName) {
        return addHost(new Host(hostName));
    }

    public TopologyBuilder addHost(Host host) {
        hosts.add(host);
        return this;
    }

    /** {@code addLink(node1, node2)}: ports numbered as Mininet does. */
    public TopologyBuilder addLink(String node1, String node2) {
        return addLink(new Link(node1, node2));
    }

    /** {@code addLink(node1, node2, port1, port2)}. */
    public TopologyBuilder addLink(String node1, int port1, String node2, int port2) {
        return addLink(new Link(node1, port1, node2, port2));
    }

    public TopologyBuilder addLink(Link link) {
        links.add(link);
        return this;
    }

    /** The topology so far, not validated. */
    public Topology build() {
        return new Topology(name, description, switches, hosts, links);
    }
}
