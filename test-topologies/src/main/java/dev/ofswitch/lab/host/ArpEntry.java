package dev.ofswitch.lab.host;

import java.net.Inet4Address;

/**
 * One line of a host's neighbour table, as {@code ip neigh} shows it.
 *
 * @param ip      the neighbour's address
 * @param mac     its MAC, or null while {@link State#INCOMPLETE}
 * @param state   the neighbour state
 * @param ageMs   time since the entry was last confirmed
 */
public record ArpEntry(Inet4Address ip, String mac, State state, long ageMs) {
    /** Linux's NUD states, the ones the emulation uses ({@code include/net/neighbour.h}). */
    public enum State {
        /** A request is out; packets wait in the entry's queue. */
        INCOMPLETE,
        /** Confirmed within the reachable time. */
        REACHABLE,
        /** Not confirmed recently; still used, and the first use starts {@link #DELAY}. */
        STALE,
        /** Used while stale; a unicast probe follows unless something confirms the entry first. */
        DELAY,
        /** Unicast probes are out. */
        PROBE
    }

    @Override
    public String toString() {
        return ip.getHostAddress() + (mac == null ? "" : " lladdr " + mac) + " " + state + " (" + ageMs + " ms)";
    }
}
