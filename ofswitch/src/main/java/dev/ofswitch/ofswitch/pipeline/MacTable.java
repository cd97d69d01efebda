package dev.ofswitch.ofswitch.pipeline;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The MAC-learning table behind the NORMAL action (OVS's {@code lib/mac-learning.c}, much simplified): (VLAN, MAC) to
 * port, learned from source addresses, expiring after {@value #AGING_SECONDS} s of silence (OVS's default aging).
 *
 * <h2>Thread-safety</h2> A concurrent map; datapath threads learn and look up concurrently.
 */
public final class MacTable {
    static final int AGING_SECONDS = 300;

    private record Learned(int port, long seenNanos) {
    }

    private final ConcurrentHashMap<Long, Learned> table = new ConcurrentHashMap<>();

    private static long key(int vlan, long mac) {
        return ((long) (vlan & 0xfff) << 48) | (mac & 0xffff_ffff_ffffL);
    }

    /** Learns that {@code mac} on {@code vlan} is behind {@code port}. */
    public void learn(int vlan, long mac, int port, long nowNanos) {
        if ((mac & 0x0100_0000_0000L) != 0) {
            return;     // never learn a multicast source
        }
        Learned l = table.get(key(vlan, mac));
        if (l == null || l.port != port || nowNanos - l.seenNanos > 1_000_000_000L) {
            table.put(key(vlan, mac), new Learned(port, nowNanos));
        }
    }

    /** The port {@code mac} was learned on, or -1 (unknown, expired). */
    public int lookup(int vlan, long mac, long nowNanos) {
        Learned l = table.get(key(vlan, mac));
        if (l == null || nowNanos - l.seenNanos > AGING_SECONDS * 1_000_000_000L) {
            return -1;
        }
        return l.port;
    }

    public int size() {
        return table.size();
    }

    public void clear() {
        table.clear();
    }
}
