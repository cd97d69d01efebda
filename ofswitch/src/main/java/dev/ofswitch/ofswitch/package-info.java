/** The OpenFlow switch: channel, codec, flow tables, pipeline, ports and the unixctl control socket. */
package dev.ofswitch.ofswitch;
