/**
 * Switch ports: OpenFlow numbers and names, link state, counters, and per-port pcap capture. Counters are updated by
 * datapath threads and read by the control thread; a port's output sink is called on the datapath thread that
 * forwards the frame.
 */
package dev.ofswitch.ofswitch.port;
