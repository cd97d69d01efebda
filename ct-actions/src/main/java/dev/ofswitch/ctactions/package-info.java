/**
 * The conntrack family of OpenFlow actions, with Open vSwitch's exact semantics: {@code ct()} ({@code NXAST_CT}),
 * {@code nat()} ({@code NXAST_NAT}) and {@code ct_clear} ({@code NXAST_CT_CLEAR}). This package holds their decoded
 * model, their wire formats and OVS's rules for accepting them ({@link dev.ofswitch.ctactions.CtWire}), and the
 * per-packet driver that runs a {@code ct()} against the conntrack engine ({@link dev.ofswitch.ctactions.CtExecutor}).
 * Models are immutable; the executor runs on datapath threads with no shared mutable state of its own.
 */
package dev.ofswitch.ctactions;
