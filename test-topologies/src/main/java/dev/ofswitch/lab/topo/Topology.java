package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A lab network as plain data: switches, hosts and the links between their ports. What Mininet's {@code Topo}
 * object is to {@code Mininet}: a description the runtime builds from, which knows nothing about running anything.
 *
 * <h2>What</h2>
 * Lists keep the order they were given in (creation order for the built-ins, file order for JSON files): that is
 * the order Mininet's {@code Topo.addPort()} numbers ports in. Mininet itself creates and prints nodes and links
 * in another order, the natural order of their names ({@code Topo.hosts()}, {@code Topo.switches()} and
 * {@code Topo.links(sort=True)} in {@code Mininet.buildFromTopo()}); {@link #hostsInNetOrder()},
 * {@link #switchesInNetOrder()} and {@link #linksInNetOrder()} give that order, and host IP addresses and
 * {@code --mac} MACs follow it.
 *
 * <h2>Invariants</h2>
 * Construction only fills constant defaults and copies the lists; anything may still be wrong. {@link #validate()}
 * is the gate: it checks everything and returns a topology in which every dpid, port and IP address is set, or
 * throws one {@link TopologyException} naming the first problem. Only a validated topology should be started.
 *
 * <h2>Thread-safety</h2>
 * Immutable. Lookups scan the lists; topologies are small and looked up on the control path only.
 *
 * @param name        the topology's name: {@code tree,2,2} for a built-in, the file's {@code name} (or its file
 *                    name) for JSON
 * @param description free text for people, or {@code null}
 * @param switches    the switches, in creation order
 * @param hosts       the hosts, in creation order
 * @param links       the links, in creation order
 */
@JsonPropertyOrder({"name", "description", "switches", "hosts", "links"})
public record Topology(
        String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) String description,
        @JsonSetter(contentNulls = Nulls.FAIL) List<Switch> switches,
        @JsonSetter(contentNulls = Nulls.FAIL) List<Host> hosts,
        @JsonSetter(contentNulls = Nulls.FAIL) List<Link> links) {

    /** Copies the lists; absent lists are empty. */
    public Topology {
        switches = switches == null ? List.of() : List.copyOf(switches);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A builder that adds nodes and links in order, like a Mininet {@code Topo.build()}. */
    public static TopologyBuilder builder(String name) {
        return new TopologyBuilder(name);
    }

    /**
     * Checks everything and fills in the defaults that depend on the rest of the topology: dpids from switch names,
     * ports as Mininet numbers them, host IPs from the host order. Pure: this topology is not changed.
     *
     * @return the complete topology
     * @throws TopologyException naming this topology, the node or link, the field and the problem, e.g.
     *                           {@code topology "demo": link 3 (s1:2 - h9:0): unknown node "h9"}
     */
    public Topology validate() {
        return Validator.validate(this, name == null ? "topology" : "topology \"" + name + "\"");
    }

    /** The switch or host with this name. */
    public Optional<Node> node(String nodeName) {
        return Stream.<Node>concat(switches.stream(), hosts.stream()).filter(n -> n.name().equals(nodeName))
                .findFirst();
    }

    /** The links with an end on this node, in link order. */
    public List<Link> linksOf(String nodeName) {
        return links.stream().filter(l -> l.hasEnd(nodeName)).toList();
    }

    /**
     * The port on {@code nodeName} whose link leads to {@code peer}: the lowest one if there are parallel links
     * (as Mininet's {@code Topo.linkInfo()} picks the lowest key). Needs a validated topology.
     */
    public OptionalInt portFacing(String nodeName, String peer) {
        return links.stream().filter(l -> l.hasEnd(nodeName) && l.peerOf(nodeName).equals(peer))
                .mapToInt(l -> l.portOn(nodeName)).min();
    }

    /** The link on port {@code port} of {@code nodeName}. Needs a validated topology. */
    public Optional<Link> linkAt(String nodeName, int port) {
        return links.stream().filter(l -> l.hasEnd(nodeName) && l.portOn(nodeName) == port).findFirst();
    }

    /** The hosts in the order Mininet creates them, numbers their IPs and lists them: natural order of names. */
    public List<Host> hostsInNetOrder() {
        return sortedBy(hosts, Comparator.comparing(Host::name, NaturalOrder.INSTANCE));
    }

    /** The switches in the order Mininet creates and lists them: natural order of names. */
    public List<Switch> switchesInNetOrder() {
        return sortedBy(switches, Comparator.comparing(Switch::name, NaturalOrder.INSTANCE));
    }

    /**
     * The links in the order Mininet creates and prints them ({@code Topo.links(sort=True)}): by the natural order
     * of {@code node1}, then of {@code node2}; links between the same two ends keep their creation order.
     */
    public List<Link> linksInNetOrder() {
        return sortedBy(links, Comparator.comparing(Link::node1, NaturalOrder.INSTANCE)
                .thenComparing(Link::node2, NaturalOrder.INSTANCE));
    }

    /**
     * Mininet's {@code --mac}: each host without a MAC gets {@code 00:00:00:00:00:0N} (hex), N being its place
     * from 1 in {@link #hostsInNetOrder()}, as {@code Mininet.addHost()} does with {@code autoSetMacs}.
     *
     * @return the validated result
     * @throws TopologyException if the topology is invalid, or a new MAC is one a host already had
     */
    public Topology withAutoMacs() {
        Topology valid = validate();
        Map<String, Integer> place = places(valid.hostsInNetOrder().stream().map(Host::name).toList());
        List<Host> out = new ArrayList<>(hosts.size());
        for (Host h : valid.hosts) {
            out.add(h.mac() != null ? h : h.withMac(Addresses.mac(place.get(h.name()) + 1)));
        }
        return new Topology(name, description, valid.switches, out, valid.links).validate();
    }

    /**
     * Mininet's {@code --listenport BASE}: each switch without a listen port gets BASE + its place from 0 in
     * {@link #switchesInNetOrder()} ({@code Mininet.addSwitch()} counts up from 6654 by default).
     *
     * @return the validated result
     * @throws TopologyException if the topology is invalid, or a port clashes with one a switch already had
     */
    public Topology withListenPorts(int base) {
        Topology valid = validate();
        Map<String, Integer> place = places(valid.switchesInNetOrder().stream().map(Switch::name).toList());
        List<Switch> out = new ArrayList<>(switches.size());
        for (Switch s : valid.switches) {
            out.add(s.listenPort() != null ? s : s.withListenPort(base + place.get(s.name())));
        }
        return new Topology(name, description, out, valid.hosts, valid.links).validate();
    }

    /** This topology under another name. */
    public Topology withName(String newName) {
        return new Topology(newName, description, switches, hosts, links);
    }

    /** Name to index in {@code names}. */
    static Map<String, Integer> places(List<String> names) {
        Map<String, Integer> place = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            place.putIfAbsent(names.get(i), i);
        }
        return place;
    }

    private static <T> List<T> sortedBy(List<T> items, Comparator<T> order) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(order);
        return List.copyOf(copy);
    }
}
