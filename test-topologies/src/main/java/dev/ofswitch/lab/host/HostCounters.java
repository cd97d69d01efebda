package dev.ofswitch.lab.host;

/**
 * A snapshot of one host's counters, as {@code ip -s link} and {@code netstat -s} would show them.
 *
 * @param rxFrames        frames handed to the host
 * @param rxBytes         their bytes
 * @param txFrames        frames the host put on its link
 * @param txBytes         their bytes
 * @param rxMalformed     frames dropped because they could not be parsed or failed a checksum
 * @param rxNotForUs      frames for another MAC or IP, multicast, fragments and unknown EtherTypes, dropped
 * @param arpRequestsSent ARP requests sent (broadcast and unicast probes)
 * @param arpRepliesSent  ARP replies sent
 * @param arpFailures     resolutions that failed
 * @param arpQueueDrops   packets dropped while waiting for ARP (queue overflow or failed resolution)
 * @param icmpEchoReplies echo replies sent
 * @param icmpErrorsSent  ICMP errors sent (port and protocol unreachable)
 * @param icmpRateLimited ICMP errors suppressed by the rate limit
 * @param udpNoPort       UDP datagrams to a closed port
 * @param tcpActiveOpens  connections opened by {@code connect}
 * @param tcpPassiveOpens connections accepted
 * @param tcpRetransmits  TCP segments retransmitted (timeouts and fast retransmits)
 * @param tcpResetsSent   RSTs sent
 * @param tcpResetsReceived RSTs that reset a connection
 */
public record HostCounters(
        long rxFrames,
        long rxBytes,
        long txFrames,
        long txBytes,
        long rxMalformed,
        long rxNotForUs,
        long arpRequestsSent,
        long arpRepliesSent,
        long arpFailures,
        long arpQueueDrops,
        long icmpEchoReplies,
        long icmpErrorsSent,
        long icmpRateLimited,
        long udpNoPort,
        long tcpActiveOpens,
        long tcpPassiveOpens,
        long tcpRetransmits,
        long tcpResetsSent,
        long tcpResetsReceived) {
}
