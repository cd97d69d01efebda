/**
 * The datapath threads ({@code datapath-N}): frames arriving on ports, and packet-outs, are queued to a worker and run
 * through the pipeline there, never on a Netty event loop or the control thread.
 */
package dev.ofswitch.ofswitch.datapath;
