/**
 * Emulated hosts for the lab: a small IPv4 network stack in pure Java (ARP, ICMP echo and errors, UDP, TCP with
 * retransmission and congestion control, ping and iperf) that talks Ethernet frames through a {@link
 * dev.ofswitch.lab.host.FrameSender} and runs on one {@link dev.ofswitch.lab.host.HostScheduler} thread.
 *
 * <p>Start at {@link dev.ofswitch.lab.host.EmulatedHost}. Everything a host owns is confined to its scheduler's
 * thread; public methods called from any other thread hand their work to that thread with
 * {@link dev.ofswitch.lab.host.HostScheduler#execute} and answer with a {@link java.util.concurrent.CompletableFuture}
 * that the scheduler thread completes. The package has no dependency on the switch.
 */
package dev.ofswitch.lab.host;
