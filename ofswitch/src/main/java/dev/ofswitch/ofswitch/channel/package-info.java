/**
 * The OpenFlow channel on Netty: framing, version negotiation, echo keepalives and the inactivity probe, flow control
 * (bounded inboxes, reading paused while a peer does not keep up), passive listeners ({@code ptcp:}, {@code pssl:},
 * {@code punix:}, local-only by default) and controller links ({@code tcp:}, {@code ssl:}) that reconnect as OVS's
 * rconn, timed on the switch clock; TLS from PEM files as ovs-vswitchd takes them. Handlers and links run on their
 * channel's event loop; everything a message asks of the switch is handed to the switch's control thread, in order.
 */
package dev.ofswitch.ofswitch.channel;
