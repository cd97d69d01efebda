/**
 * The ovs-appctl-compatible control socket: JSON-RPC over a unix stream socket, with OVS's command names, argument
 * checks and error texts. One acceptor thread ({@code unixctl}) and one thread per connection; handlers run on the
 * connection's thread and must be thread-safe.
 */
package dev.ofswitch.ofswitch.unixctl;
