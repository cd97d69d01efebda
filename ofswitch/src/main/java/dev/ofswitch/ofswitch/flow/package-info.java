/**
 * The match/set field registry and the flat flow key it indexes: {@link dev.ofswitch.ofswitch.flow.MatchField}
 * mirrors OVS's {@code mf_fields} ({@code include/openvswitch/meta-flow.h}), and
 * {@link dev.ofswitch.ofswitch.flow.FlowKey} defines where each field lives in a {@code long[]} key.
 *
 * <p>Everything here is immutable or stateless and safe on any thread: the channel's event loop uses it to validate
 * FLOW_MODs, the datapath threads to read and write packet keys.
 */
package dev.ofswitch.ofswitch.flow;
