/**
 * The OpenFlow channel on Netty: framing, version negotiation, echo keepalives, passive listeners
 * ({@code ptcp:}, {@code punix:}) and active controller connections ({@code tcp:}) with reconnect backoff. Handlers
 * run on their channel's event loop; everything a message asks of the switch is handed to the switch's control
 * thread, in order.
 */
package dev.ofswitch.ofswitch.channel;
