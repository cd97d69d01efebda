package dev.ofswitch.lab.host;

/**
 * The live counters behind {@link HostCounters}.
 *
 * <h2>Thread-safety</h2> Single writer: only the host's scheduler thread increments them ({@code x = x + 1} on a
 * volatile is safe with one writer). Any thread may read; a snapshot is per-field consistent, not atomic as a whole.
 */
final class Counters {
    volatile long rxFrames;
    volatile long rxBytes;
    volatile long txFrames;
    volatile long txBytes;
    volatile long rxMalformed;
    volatile long rxNotForUs;
    volatile long arpRequestsSent;
    volatile long arpRepliesSent;
    volatile long arpFailures;
    volatile long arpQueueDrops;
    volatile long icmpEchoReplies;
    volatile long icmpErrorsSent;
    volatile long icmpRateLimited;
    volatile long udpNoPort;
    volatile long tcpActiveOpens;
    volatile long tcpPassiveOpens;
    volatile long tcpRetransmits;
    volatile long tcpResetsSent;
    volatile long tcpResetsReceived;

    HostCounters snapshot() {
        return new HostCounters(rxFrames, rxBytes, txFrames, txBytes, rxMalformed, rxNotForUs, arpRequestsSent,
                arpRepliesSent, arpFailures, arpQueueDrops, icmpEchoReplies, icmpErrorsSent, icmpRateLimited,
                udpNoPort, tcpActiveOpens, tcpPassiveOpens, tcpRetransmits, tcpResetsSent, tcpResetsReceived);
    }
}
