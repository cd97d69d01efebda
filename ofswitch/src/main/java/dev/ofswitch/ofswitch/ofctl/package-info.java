/**
 * ovs-ofctl's flow language in Java: {@link dev.ofswitch.ofswitch.ofctl.FlowPrinter} prints flow stats replies as
 * {@code ovs-ofctl dump-flows} does, byte for byte, so that nothing needs Open vSwitch installed to show a flow
 * table. Everything here is stateless and runs on the caller's thread.
 */
package dev.ofswitch.ofswitch.ofctl;
