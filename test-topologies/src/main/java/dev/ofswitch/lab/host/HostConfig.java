package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of one {@link EmulatedHost}: its identity (name, MAC, IPv4 address and prefix, optional default
 * gateway) and the knobs of its stack. Immutable; build one with {@link #builder(String)}.
 *
 * <pre>{@code
 * HostConfig h1 = HostConfig.builder("h1").mac("00:00:00:00:00:01").ipv4("10.0.0.1", 8).build();
 * }</pre>
 *
 * <p>Defaults follow a stock Linux host; the sysctl each one mirrors is named.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>setting</th><th>default</th><th>meaning (Linux equivalent)</th></tr>
 * <tr><td>{@code mtu}</td><td>{@value #DEFAULT_MTU}</td><td>IP MTU; TCP's MSS is {@code mtu - 40}</td></tr>
 * <tr><td>{@code seed}</td><td>hash of the name</td><td>seeds ISNs, ephemeral ports, ping identifiers and ARP's
 * reachable-time jitter, so a run is reproducible</td></tr>
 * <tr><td>{@code gratuitousArp}</td><td>false</td><td>announce the address on {@link EmulatedHost#start()}
 * ({@code arp_notify})</td></tr>
 * <tr><td>{@code arpReachableMs}</td><td>{@value #DEFAULT_ARP_REACHABLE_MS}</td><td>{@code base_reachable_time_ms};
 * each confirmation draws a reachable time uniformly in [0.5, 1.5) of it</td></tr>
 * <tr><td>{@code arpRetransMs}</td><td>{@value #DEFAULT_ARP_RETRANS_MS}</td><td>{@code retrans_time_ms} between
 * solicitations</td></tr>
 * <tr><td>{@code arpMcastSolicit}</td><td>{@value #DEFAULT_ARP_MCAST_SOLICIT}</td><td>{@code mcast_solicit}:
 * broadcast requests before a resolution fails</td></tr>
 * <tr><td>{@code arpUcastSolicit}</td><td>{@value #DEFAULT_ARP_UCAST_SOLICIT}</td><td>{@code ucast_solicit}: unicast
 * probes of a stale entry</td></tr>
 * <tr><td>{@code arpDelayFirstProbeMs}</td><td>{@value #DEFAULT_ARP_DELAY_FIRST_PROBE_MS}</td><td>{@code
 * delay_first_probe_time}</td></tr>
 * <tr><td>{@code arpGcStaleMs}</td><td>{@value #DEFAULT_ARP_GC_STALE_MS}</td><td>{@code gc_stale_time}: unused
 * stale entries are forgotten after it</td></tr>
 * <tr><td>{@code arpQueueLimit}</td><td>{@value #DEFAULT_ARP_QUEUE_LIMIT}</td><td>packets held per unresolved
 * neighbour ({@code unres_qlen}); the oldest is dropped beyond it</td></tr>
 * <tr><td>{@code tcpRcvBufBytes}</td><td>{@value #DEFAULT_TCP_RCVBUF}</td><td>receive buffer, the largest window
 * ({@code tcp_rmem[1]})</td></tr>
 * <tr><td>{@code tcpWindowScale}</td><td>{@value #DEFAULT_TCP_WSCALE}</td><td>the shift announced in SYNs (what
 * Linux derives from {@code tcp_rmem[2]}); -1 sends no option</td></tr>
 * <tr><td>{@code tcpSackPermitted}</td><td>false</td><td>announce SACK-permitted. SACK blocks are never sent and
 * are ignored when received, which RFC 2018 allows</td></tr>
 * <tr><td>{@code tcpInitialCwnd}</td><td>{@value #DEFAULT_TCP_INITIAL_CWND}</td><td>segments (RFC 6928, Linux's
 * {@code TCP_INIT_CWND})</td></tr>
 * <tr><td>{@code tcpInitialRtoMs}</td><td>{@value #DEFAULT_TCP_INITIAL_RTO_MS}</td><td>RFC 6298 §2.1</td></tr>
 * <tr><td>{@code tcpMinRtoMs}</td><td>{@value #DEFAULT_TCP_MIN_RTO_MS}</td><td>Linux's {@code TCP_RTO_MIN}</td></tr>
 * <tr><td>{@code tcpMaxRtoMs}</td><td>{@value #DEFAULT_TCP_MAX_RTO_MS}</td><td>Linux's {@code TCP_RTO_MAX}</td></tr>
 * <tr><td>{@code tcpSynRetries}</td><td>{@value #DEFAULT_TCP_SYN_RETRIES}</td><td>{@code tcp_syn_retries}</td></tr>
 * <tr><td>{@code tcpSynAckRetries}</td><td>{@value #DEFAULT_TCP_SYNACK_RETRIES}</td><td>{@code
 * tcp_synack_retries}</td></tr>
 * <tr><td>{@code tcpRetries}</td><td>{@value #DEFAULT_TCP_RETRIES}</td><td>{@code tcp_retries2}: retransmissions
 * of one segment before the connection is reset and fails with {@link SocketError#ETIMEDOUT}</td></tr>
 * <tr><td>{@code tcpFinTimeoutMs}</td><td>{@value #DEFAULT_TCP_FIN_TIMEOUT_MS}</td><td>{@code tcp_fin_timeout}:
 * a connection idle this long in FIN_WAIT_2 is reset (Linux does this for closed sockets; here it applies to every
 * half-closed connection whose peer falls silent)</td></tr>
 * <tr><td>{@code tcpTimeWaitMs}</td><td>{@value #DEFAULT_TCP_TIME_WAIT_MS}</td><td>{@code TCP_TIMEWAIT_LEN}</td></tr>
 * <tr><td>{@code tcpDelayedAckMs}</td><td>{@value #DEFAULT_TCP_DELACK_MS}</td><td>{@code TCP_DELACK_MIN}; a second
 * full segment is acknowledged at once</td></tr>
 * <tr><td>{@code tcpBacklog}</td><td>{@value #DEFAULT_TCP_BACKLOG}</td><td>half-open connections per listener
 * ({@code somaxconn}); SYNs beyond it are dropped</td></tr>
 * <tr><td>{@code icmpMsgsPerSec}, {@code icmpMsgsBurst}</td><td>{@value #DEFAULT_ICMP_MSGS_PER_SEC},
 * {@value #DEFAULT_ICMP_MSGS_BURST}</td><td>token bucket for the ICMP errors the host sends ({@code
 * icmp_msgs_per_sec}, {@code icmp_msgs_burst})</td></tr>
 * <tr><td>{@code logger}</td><td>none</td><td>{@link HostLogger} debug hook</td></tr>
 * </table>
 */
public final class HostConfig {
    public static final int DEFAULT_MTU = 1500;
    public static final long DEFAULT_ARP_REACHABLE_MS = 30_000;
    public static final long DEFAULT_ARP_RETRANS_MS = 1000;
    public static final int DEFAULT_ARP_MCAST_SOLICIT = 3;
    public static final int DEFAULT_ARP_UCAST_SOLICIT = 3;
    public static final long DEFAULT_ARP_DELAY_FIRST_PROBE_MS = 5000;
    public static final long DEFAULT_ARP_GC_STALE_MS = 60_000;
    public static final int DEFAULT_ARP_QUEUE_LIMIT = 101;
    public static final int DEFAULT_TCP_RCVBUF = 131_072;
    public static final int DEFAULT_TCP_WSCALE = 7;
    public static final int DEFAULT_TCP_INITIAL_CWND = 10;
    public static final long DEFAULT_TCP_INITIAL_RTO_MS = 1000;
    public static final long DEFAULT_TCP_MIN_RTO_MS = 200;
    public static final long DEFAULT_TCP_MAX_RTO_MS = 120_000;
    public static final int DEFAULT_TCP_SYN_RETRIES = 6;
    public static final int DEFAULT_TCP_SYNACK_RETRIES = 5;
    public static final int DEFAULT_TCP_RETRIES = 15;
    public static final long DEFAULT_TCP_TIME_WAIT_MS = 60_000;
    public static final long DEFAULT_TCP_FIN_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_TCP_DELACK_MS = 40;
    public static final int DEFAULT_TCP_BACKLOG = 128;
    public static final int DEFAULT_ICMP_MSGS_PER_SEC = 1000;
    public static final int DEFAULT_ICMP_MSGS_BURST = 50;

    private final String name;
    private final long mac;
    private final int ip;
    private final int prefixLength;
    private final int gateway;
    private final boolean hasGateway;
    private final int mtu;
    private final long seed;
    private final boolean gratuitousArp;
    final long arpReachableMs;
    final long arpRetransMs;
    final int arpMcastSolicit;
    final int arpUcastSolicit;
    final long arpDelayFirstProbeMs;
    final long arpGcStaleMs;
    final int arpQueueLimit;
    final int tcpRcvBufBytes;
    final int tcpWindowScale;
    final boolean tcpSackPermitted;
    final int tcpInitialCwnd;
    final long tcpInitialRtoMs;
    final long tcpMinRtoMs;
    final long tcpMaxRtoMs;
    final int tcpSynRetries;
    final int tcpSynAckRetries;
    final int tcpRetries;
    final long tcpTimeWaitMs;
    final long tcpFinTimeoutMs;
    final long tcpDelayedAckMs;
    final int tcpBacklog;
    final int icmpMsgsPerSec;
    final int icmpMsgsBurst;
    final HostLogger logger;

    private HostConfig(Builder b) {
        this.name = b.name;
        this.mac = b.mac;
        this.ip = b.ip;
        this.prefixLength = b.prefixLength;
        this.gateway = b.gateway;
        this.hasGateway = b.hasGateway;
        this.mtu = b.mtu;
        this.seed = b.seed;
        this.gratuitousArp = b.gratuitousArp;
        this.arpReachableMs = b.arpReachableMs;
        this.arpRetransMs = b.arpRetransMs;
        this.arpMcastSolicit = b.arpMcastSolicit;
        this.arpUcastSolicit = b.arpUcastSolicit;
        this.arpDelayFirstProbeMs = b.arpDelayFirstProbeMs;
        this.arpGcStaleMs = b.arpGcStaleMs;
        this.arpQueueLimit = b.arpQueueLimit;
        this.tcpRcvBufBytes = b.tcpRcvBufBytes;
        this.tcpWindowScale = b.tcpWindowScale;
        this.tcpSackPermitted = b.tcpSackPermitted;
        this.tcpInitialCwnd = b.tcpInitialCwnd;
        this.tcpInitialRtoMs = b.tcpInitialRtoMs;
        this.tcpMinRtoMs = b.tcpMinRtoMs;
        this.tcpMaxRtoMs = b.tcpMaxRtoMs;
        this.tcpSynRetries = b.tcpSynRetries;
        this.tcpSynAckRetries = b.tcpSynAckRetries;
        this.tcpRetries = b.tcpRetries;
        this.tcpTimeWaitMs = b.tcpTimeWaitMs;
        this.tcpFinTimeoutMs = b.tcpFinTimeoutMs;
        this.tcpDelayedAckMs = b.tcpDelayedAckMs;
        this.tcpBacklog = b.tcpBacklog;
        this.icmpMsgsPerSec = b.icmpMsgsPerSec;
        this.icmpMsgsBurst = b.icmpMsgsBurst;
        this.logger = b.logger;
    }

    /** A builder for a host called {@code name}; MAC and IPv4 address are required. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The MAC address, in the low 48 bits. */
    public long mac() {
        return mac;
    }

    public String macString() {
        return Addresses.formatMac(mac);
    }

    public Inet4Address ipv4() {
        return Addresses.inet4(ip);
    }

    /** The IPv4 address as an {@code int}. */
    public int ipv4Int() {
        return ip;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public Optional<Inet4Address> gateway() {
        return hasGateway ? Optional.of(Addresses.inet4(gateway)) : Optional.empty();
    }

    int gatewayInt() {
        return gateway;
    }

    boolean hasGateway() {
        return hasGateway;
    }

    public int mtu() {
        return mtu;
    }

    public long seed() {
        return seed;
    }

    public boolean gratuitousArp() {
        return gratuitousArp;
    }

    /** The MSS this host announces and sends at most: {@code mtu - 40}. */
    public int tcpMss() {
        return mtu - 40;
    }

    public long tcpTimeWaitMs() {
        return tcpTimeWaitMs;
    }

    @Override
    public String toString() {
        return name + " " + Addresses.formatMac(mac) + " " + Addresses.formatIpv4(ip) + "/" + prefixLength
                + (hasGateway ? " via " + Addresses.formatIpv4(gateway) : "");
    }

    /** Builds a {@link HostConfig}; every setter checks its argument. */
    public static final class Builder {
        private final String name;
        private long mac = -1;
        private int ip;
        private int prefixLength = -1;
        private int gateway;
        private boolean hasGateway;
        private int mtu = DEFAULT_MTU;
        private long seed;
        private boolean gratuitousArp;
        private long arpReachableMs = DEFAULT_ARP_REACHABLE_MS;
        private long arpRetransMs = DEFAULT_ARP_RETRANS_MS;
        private int arpMcastSolicit = DEFAULT_ARP_MCAST_SOLICIT;
        private int arpUcastSolicit = DEFAULT_ARP_UCAST_SOLICIT;
        private long arpDelayFirstProbeMs = DEFAULT_ARP_DELAY_FIRST_PROBE_MS;
        private long arpGcStaleMs = DEFAULT_ARP_GC_STALE_MS;
        private int arpQueueLimit = DEFAULT_ARP_QUEUE_LIMIT;
        private int tcpRcvBufBytes = DEFAULT_TCP_RCVBUF;
        private int tcpWindowScale = DEFAULT_TCP_WSCALE;
        private boolean tcpSackPermitted;
        private int tcpInitialCwnd = DEFAULT_TCP_INITIAL_CWND;
        private long tcpInitialRtoMs = DEFAULT_TCP_INITIAL_RTO_MS;
        private long tcpMinRtoMs = DEFAULT_TCP_MIN_RTO_MS;
        private long tcpMaxRtoMs = DEFAULT_TCP_MAX_RTO_MS;
        private int tcpSynRetries = DEFAULT_TCP_SYN_RETRIES;
        private int tcpSynAckRetries = DEFAULT_TCP_SYNACK_RETRIES;
        private int tcpRetries = DEFAULT_TCP_RETRIES;
        private long tcpTimeWaitMs = DEFAULT_TCP_TIME_WAIT_MS;
        private long tcpFinTimeoutMs = DEFAULT_TCP_FIN_TIMEOUT_MS;
        private long tcpDelayedAckMs = DEFAULT_TCP_DELACK_MS;
        private int tcpBacklog = DEFAULT_TCP_BACKLOG;
        private int icmpMsgsPerSec = DEFAULT_ICMP_MSGS_PER_SEC;
        private int icmpMsgsBurst = DEFAULT_ICMP_MSGS_BURST;
        private HostLogger logger;

        private Builder(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("a host needs a name");
            }
            this.name = name;
            this.seed = name.hashCode() * 0x9e3779b97f4a7c15L;
        }

        /** The MAC address, {@code 00:00:00:00:00:01}; must be unicast. */
        public Builder mac(String mac) {
            return mac(Addresses.parseMac(mac));
        }

        /** The MAC address in the low 48 bits; must be unicast. */
        public Builder mac(long mac) {
            if ((mac >>> 48) != 0 || Addresses.isMulticastMac(mac) || mac == 0) {
                throw new IllegalArgumentException("a host MAC must be a non-zero unicast address: "
                        + Addresses.formatMac(mac & 0xffff_ffff_ffffL));
            }
            this.mac = mac;
            return this;
        }

        /** The IPv4 address and prefix length, as in {@code ip addr add 10.0.0.1/8}. */
        public Builder ipv4(String address, int prefixLength) {
            Addresses.netmask(prefixLength);
            int a = Addresses.parseIpv4(address);
            if (a == 0 || a == -1 || (a >>> 28) >= 0xe) {
                throw new IllegalArgumentException("not a unicast host address: " + address);
            }
            this.ip = a;
            this.prefixLength = prefixLength;
            return this;
        }

        /** The default gateway; it must be on the host's subnet. */
        public Builder gateway(String address) {
            this.gateway = Addresses.parseIpv4(address);
            this.hasGateway = true;
            return this;
        }

        public Builder mtu(int mtu) {
            if (mtu < 576 || mtu > 9000) {
                throw new IllegalArgumentException("mtu must be 576..9000: " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder gratuitousArp(boolean enabled) {
            this.gratuitousArp = enabled;
            return this;
        }

        public Builder arpReachableMs(long ms) {
            this.arpReachableMs = positive(ms, "arpReachableMs");
            return this;
        }

        public Builder arpRetransMs(long ms) {
            this.arpRetransMs = positive(ms, "arpRetransMs");
            return this;
        }

        public Builder arpMcastSolicit(int n) {
            this.arpMcastSolicit = (int) positive(n, "arpMcastSolicit");
            return this;
        }

        public Builder arpUcastSolicit(int n) {
            this.arpUcastSolicit = (int) positive(n, "arpUcastSolicit");
            return this;
        }

        public Builder arpDelayFirstProbeMs(long ms) {
            this.arpDelayFirstProbeMs = positive(ms, "arpDelayFirstProbeMs");
            return this;
        }

        public Builder arpGcStaleMs(long ms) {
            this.arpGcStaleMs = positive(ms, "arpGcStaleMs");
            return this;
        }

        public Builder arpQueueLimit(int packets) {
            this.arpQueueLimit = (int) positive(packets, "arpQueueLimit");
            return this;
        }

        public Builder tcpRcvBufBytes(int bytes) {
            if (bytes < 2048 || bytes > (1 << 30)) {
                throw new IllegalArgumentException("tcpRcvBufBytes must be 2048..2^30: " + bytes);
            }
            this.tcpRcvBufBytes = bytes;
            return this;
        }

        /** The shift announced in SYNs, 0..14, or -1 to send no window-scale option. */
        public Builder tcpWindowScale(int shift) {
            if (shift < -1 || shift > 14) {
                throw new IllegalArgumentException("tcpWindowScale must be -1..14: " + shift);
            }
            this.tcpWindowScale = shift;
            return this;
        }

        public Builder tcpSackPermitted(boolean announce) {
            this.tcpSackPermitted = announce;
            return this;
        }

        public Builder tcpInitialCwnd(int segments) {
            this.tcpInitialCwnd = (int) positive(segments, "tcpInitialCwnd");
            return this;
        }

        public Builder tcpInitialRtoMs(long ms) {
            this.tcpInitialRtoMs = positive(ms, "tcpInitialRtoMs");
            return this;
        }

        public Builder tcpMinRtoMs(long ms) {
            this.tcpMinRtoMs = positive(ms, "tcpMinRtoMs");
            return this;
        }

        public Builder tcpMaxRtoMs(long ms) {
            this.tcpMaxRtoMs = positive(ms, "tcpMaxRtoMs");
            return this;
        }

        public Builder tcpSynRetries(int n) {
            this.tcpSynRetries = (int) nonNegative(n, "tcpSynRetries");
            return this;
        }

        public Builder tcpSynAckRetries(int n) {
            this.tcpSynAckRetries = (int) nonNegative(n, "tcpSynAckRetries");
            return this;
        }

        public Builder tcpRetries(int n) {
            this.tcpRetries = (int) nonNegative(n, "tcpRetries");
            return this;
        }

        public Builder tcpTimeWaitMs(long ms) {
            this.tcpTimeWaitMs = nonNegative(ms, "tcpTimeWaitMs");
            return this;
        }

        public Builder tcpFinTimeoutMs(long ms) {
            this.tcpFinTimeoutMs = positive(ms, "tcpFinTimeoutMs");
            return this;
        }

        public Builder tcpDelayedAckMs(long ms) {
            this.tcpDelayedAckMs = nonNegative(ms, "tcpDelayedAckMs");
            return this;
        }

        public Builder tcpBacklog(int n) {
            this.tcpBacklog = (int) positive(n, "tcpBacklog");
            return this;
        }

        public Builder icmpRateLimit(int msgsPerSec, int burst) {
            this.icmpMsgsPerSec = (int) positive(msgsPerSec, "icmpMsgsPerSec");
            this.icmpMsgsBurst = (int) positive(burst, "icmpMsgsBurst");
            return this;
        }

        public Builder logger(HostLogger logger) {
            this.logger = logger;
            return this;
        }

        public HostConfig build() {
            if (mac < 0) {
                throw new IllegalStateException(name + ": a MAC address is required");
            }
            if (prefixLength < 0) {
                throw new IllegalStateException(name + ": an IPv4 address is required");
            }
            if (hasGateway) {
                int mask = Addresses.netmask(prefixLength);
                if ((gateway & mask) != (ip & mask) || gateway == ip) {
                    throw new IllegalStateException(name + ": gateway " + Addresses.formatIpv4(gateway)
                            + " is not another address of " + Addresses.formatIpv4(ip) + "/" + prefixLength);
                }
            }
            if (tcpMinRtoMs > tcpMaxRtoMs) {
                throw new IllegalStateException(name + ": tcpMinRtoMs > tcpMaxRtoMs");
            }
            return new HostConfig(this);
        }

        private static long positive(long v, String what) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + v);
            }
            return v;
        }

        private static long nonNegative(long v, String what) {
            if (v < 0) {
                throw new IllegalArgumentException(what + " must not be negative: " + v);
            }
            return v;
        }
    }
}
