/**
 * The lab's topology model: switches, hosts and links as plain immutable data, the Mininet built-ins
 * ({@code minimal}, {@code single}, {@code linear}, {@code tree}, {@code torus}, {@code reversed}), JSON topology
 * files, validation, and Mininet's CLI listings ({@code nodes}, {@code net}, {@code links}, {@code pingall}).
 *
 * <p>As Mininet keeps {@code mininet/topo.py} apart from {@code mininet/net.py}, this package knows nothing about
 * the switch or the host stack: the runtime ({@code dev.ofswitch.lab}) reads a {@link
 * dev.ofswitch.lab.topo.Topology} and starts what it describes. Entry points: {@link
 * dev.ofswitch.lab.topo.Topologies#parseSpec(String, boolean)}, {@link
 * dev.ofswitch.lab.topo.TopologyFiles#load(java.nio.file.Path)}, {@link dev.ofswitch.lab.topo.Topology#validate()}
 * and {@link dev.ofswitch.lab.topo.MininetFormat}.
 *
 * <p>Thread-safety: every type here is immutable or a stateless utility, so any thread may use it; {@link
 * dev.ofswitch.lab.topo.TopologyBuilder} is the one mutable class and belongs to the thread that builds.
 */
package dev.ofswitch.lab.topo;
