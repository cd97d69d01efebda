package dev.ofswitch.lab.topo;

/**
 * A switch or a host: anything a {@link Link} can end on. Node names are unique within a topology, across both
 * kinds, as in Mininet (one {@code nameToNode} map).
 */
public sealed interface Node permits Switch, Host {
    /** The node's name ({@code s1}, {@code h1}): it prefixes the node's interface names ({@code s1-eth1}). */
    String name();
}
