/**
 * The TCP connection tracker: OpenBSD pf's sequence-window tracking as Open vSwitch's userspace conntrack adapted it
 * ({@code lib/conntrack-tcp.c}). Runs on the datapath thread that holds the connection's bucket lock.
 */
package dev.ofswitch.conntrack.tcp;
