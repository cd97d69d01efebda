package dev.ofswitch.lab.host;

/**
 * Counters of one TCP connection ({@code ss -ti}).
 *
 * @param segmentsSent       segments sent, retransmissions included
 * @param segmentsReceived   segments received for this connection
 * @param bytesAcked         data bytes the peer acknowledged
 * @param bytesReceived      data bytes delivered in order
 * @param retransmits        segments retransmitted, both kinds
 * @param timeouts           retransmission timeouts
 * @param fastRetransmits    fast retransmits on three duplicate ACKs
 * @param outOfOrderSegments segments that arrived ahead of a hole
 * @param zeroWindowProbes   window probes sent
 * @param srttMicros         smoothed RTT (RFC 6298), or -1 before the first sample
 * @param rtoMillis          current retransmission timeout
 * @param cwndBytes          congestion window
 * @param peerWindowBytes    the peer's last advertised window, scaled
 */
public record TcpStats(
        long segmentsSent,
        long segmentsReceived,
        long bytesAcked,
        long bytesReceived,
        long retransmits,
        long timeouts,
        long fastRetransmits,
        long outOfOrderSegments,
        long zeroWindowProbes,
        long srttMicros,
        long rtoMillis,
        long cwndBytes,
        long peerWindowBytes) {
}
