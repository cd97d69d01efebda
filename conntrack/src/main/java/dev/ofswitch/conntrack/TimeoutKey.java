package dev.ofswitch.conntrack;

/**
 * The keys of a conntrack timeout policy, named as {@code ovs-vsctl add-zone-tp} names them, with OVS's userspace
 * defaults in seconds ({@code ct_dpif_netdev_tp_def[]} in OVS {@code lib/conntrack-tp.c}).
 *
 * <p>Which connection state each key controls was measured against OVS 3.1 (see the oracle README, "Default
 * timeouts"): a TCP connection after its first SYN uses {@link #TCP_SYN_SENT}, after the SYN-ACK
 * {@link #TCP_SYN_RECV}, established {@link #TCP_ESTABLISHED}, after the first FIN {@link #TCP_FIN_WAIT}, with FINs
 * both ways {@link #TCP_TIME_WAIT} and after the last ACK {@link #TCP_CLOSE}. UDP and every other IP protocol use
 * {@link #UDP_FIRST}, {@link #UDP_SINGLE} (more packets one way) and {@link #UDP_MULTIPLE} (both ways); ICMP echo
 * {@link #ICMP_FIRST} and {@link #ICMP_REPLY}. The five keys with a default of 0 are accepted, as OVS accepts them,
 * but no userspace state uses them.
 */
public enum TimeoutKey {
    TCP_SYN_SENT("tcp_syn_sent", 30),
    TCP_SYN_RECV("tcp_syn_recv", 30),
    TCP_ESTABLISHED("tcp_established", 24 * 60 * 60),
    TCP_FIN_WAIT("tcp_fin_wait", 15 * 60),
    TCP_CLOSE_WAIT("tcp_close_wait", 0),
    TCP_LAST_ACK("tcp_last_ack", 0),
    TCP_TIME_WAIT("tcp_time_wait", 45),
    TCP_CLOSE("tcp_close", 30),
    TCP_SYN_SENT2("tcp_syn_sent2", 0),
    TCP_RETRANSMIT("tcp_retransmit", 0),
    TCP_UNACK("tcp_unack", 0),
    UDP_FIRST("udp_first", 60),
    UDP_SINGLE("udp_single", 60),
    UDP_MULTIPLE("udp_multiple", 30),
    ICMP_FIRST("icmp_first", 60),
    ICMP_REPLY("icmp_reply", 30);

    private final String ovsName;
    private final int defaultSeconds;

    TimeoutKey(String ovsName, int defaultSeconds) {
        this.ovsName = ovsName;
        this.defaultSeconds = defaultSeconds;
    }

    /** The name {@code ovs-vsctl add-zone-tp} uses, e.g. {@code tcp_syn_sent}. */
    public String ovsName() {
        return ovsName;
    }

    /** OVS's default in seconds (0 for the keys no userspace state uses). */
    public int defaultSeconds() {
        return defaultSeconds;
    }

    /** Looks a key up by its OVS name; returns null if there is none. */
    public static TimeoutKey byOvsName(String name) {
        for (TimeoutKey k : values()) {
            if (k.ovsName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
