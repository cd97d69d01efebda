/**
 * The OpenFlow wire model and codec for the bodies Loxi cannot parse: matches (OXM, NXM, OpenFlow 1.0
 * {@code ofp_match}), instructions and actions (standard and Nicira), and the messages that carry them (FLOW_MOD and
 * NXT_FLOW_MOD, PACKET_OUT, GROUP_MOD, flow/aggregate stats, FLOW_REMOVED, PACKET_IN and NXT_PACKET_IN2, Nicira
 * session and conntrack-flush messages), plus the one error vocabulary ({@link dev.ofswitch.ofswitch.codec.ErrorCode})
 * and the {@code OFPT_ERROR} encoder.
 *
 * <p>Decoders take a {@link io.netty.buffer.ByteBuf} slice holding exactly one framed message, validate it the way
 * OVS 3.1 does and either return an immutable model, which keeps the bytes it was decoded from, or throw an
 * {@link dev.ofswitch.ofswitch.codec.OpenFlowException} carrying the error OVS would send. Everything here runs on the
 * channel's event loop; models are immutable and may be handed to any thread.
 */
package dev.ofswitch.ofswitch.codec;
