/**
 * ovs-ofctl's flow language in Java: parses {@code add-flow(s)}, {@code mod-flows} and {@code del-flows} text into the
 * exact OpenFlow messages ovs-ofctl 3.1 sends and into the switch's {@link dev.ofswitch.ofswitch.codec.FlowMod}, with
 * ovs-ofctl's error messages. The entry point is {@link dev.ofswitch.ofswitch.ofctl.OfctlFlows}; everything else is
 * package-private and named after the OVS functions it follows. Stateless: any thread.
 */
package dev.ofswitch.ofswitch.ofctl;
