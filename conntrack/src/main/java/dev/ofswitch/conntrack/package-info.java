/**
 * Userspace connection tracking with Open vSwitch's semantics, pure Java: no OpenFlow, no Netty. The entry point is
 * {@link dev.ofswitch.conntrack.ConnTracker}; datapath threads call its {@code execute()} and the cleaner thread
 * ({@code ct_clean}) expires connections in the background. Everything else here serves those two.
 */
package dev.ofswitch.conntrack;
