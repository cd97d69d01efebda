/**
 * ovs-ofctl's flow language in Java. Parsing: {@code add-flow(s)}, {@code mod-flows} and {@code del-flows} text into
 * the exact OpenFlow messages ovs-ofctl 3.1 sends and into the switch's {@link dev.ofswitch.ofswitch.codec.FlowMod},
 * with ovs-ofctl's error messages; the entry point is {@link dev.ofswitch.ofswitch.ofctl.OfctlFlows}, and
 * {@link dev.ofswitch.ofswitch.ofctl.OfctlRequests} builds packet-outs, flow stats and port stats requests. Printing:
 * {@link dev.ofswitch.ofswitch.ofctl.FlowPrinter} prints flow stats replies as {@code ovs-ofctl dump-flows} does, byte
 * for byte, and {@link dev.ofswitch.ofswitch.ofctl.PortStatsPrinter} port stats as {@code ovs-ofctl dump-ports}, so
 * that nothing needs Open vSwitch installed to show a flow table. Everything else is package-private and
 * named after the OVS functions it follows. Stateless: any thread.
 */
package dev.ofswitch.ofswitch.ofctl;
