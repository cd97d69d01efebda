/**
 * Wire formats the emulated hosts speak: Ethernet II, ARP, IPv4, ICMP, UDP and TCP headers as offsets, constants and
 * static accessors over {@code byte[]} frames, the Internet checksum, address parsing, and a tcpdump-like one-line
 * {@link dev.ofswitch.lab.host.wire.FrameFormat#describe describe()} for logs and test failures.
 *
 * <p>Everything here is stateless and may be called from any thread. Readers never throw on short frames when the
 * caller has checked the length they document; the host's receive path checks first, then reads.
 */
package dev.ofswitch.lab.host.wire;
