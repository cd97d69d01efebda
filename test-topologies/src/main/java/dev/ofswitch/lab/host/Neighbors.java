package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Arp;
import dev.ofswitch.lab.host.wire.Ethernet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * ARP: the host's neighbour table, modelled on Linux's neighbour state machine ({@code net/core/neighbour.c},
 * {@code net/ipv4/arp.c}).
 *
 * <h2>What</h2> Resolves next hops to MACs, queues packets while a resolution is in progress, answers requests for
 * the host's address, and reports packets that could not be delivered as a local ICMP host-unreachable, which is
 * how Linux tells ping, UDP sockets and connecting TCP sockets ({@code arp_error_report()} →
 * {@code ipv4_link_failure()}).
 *
 * <h2>Design</h2> One entry per neighbour, in one of the states of {@link ArpEntry.State}:
 * <pre>
 *   (none) --output--> INCOMPLETE --reply--> REACHABLE --reachable time passes--> STALE
 *              broadcast request every retrans_time;          (checked lazily, on use)
 *              after mcast_solicit: failure, queue reported       |
 *                                                                 | used
 *   REACHABLE <--reply or TCP progress-- DELAY <------------------+
 *        ^                                  | delay_first_probe_time
 *        +--------------reply------------- PROBE: unicast requests; after ucast_solicit: entry dropped
 * </pre>
 * A reachable time is drawn uniformly in [0.5, 1.5) of {@code arpReachableMs} at each confirmation, as Linux's
 * {@code neigh_rand_reach_time()}. A request for our address creates or refreshes the sender's entry as STALE (Linux's
 * {@code neigh_event_ns()}); a reply updates an existing entry only (Linux's {@code arp_accept=0}), so gratuitous
 * ARP never creates entries. Unused STALE entries are forgotten after {@code arpGcStaleMs}, checked lazily. A failed
 * entry is removed at once; the next packet starts a new resolution (Linux keeps it FAILED until garbage collection,
 * which behaves the same for the next packet).
 *
 * <h2>Invariants</h2> Only INCOMPLETE entries have a non-empty queue; the queue never holds more than
 * {@code arpQueueLimit} packets (the oldest is dropped, as {@code __neigh_event_send()} does). An entry has at most one
 * armed timer.
 *
 * <h2>Thread-safety</h2> Confined to the host's scheduler thread.
 */
final class Neighbors {
    private final EmulatedHost host;
    private final HostConfig cfg;
    private final Map<Integer, Entry> table = new HashMap<>();

    private static final class Entry {
        final int ip;
        long mac;
        ArpEntry.State state;
        /** When the entry was last confirmed (or created). */
        long confirmedNanos;
        /** When the entry was last used to send. */
        long usedNanos;
        /** How long this confirmation keeps the entry REACHABLE. */
        long reachableNanos;
        /** Solicitations sent in the current INCOMPLETE or PROBE phase. */
        int probes;
        Cancellable timer;
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();

        Entry(int ip) {
            this.ip = ip;
        }
    }

    Neighbors(EmulatedHost host, HostConfig cfg) {
        this.host = host;
        this.cfg = cfg;
    }

    /**
     * Sends an IPv4 frame to {@code nextHop}: fills in the destination MAC and transmits, or queues it until ARP
     * resolves the next hop.
     */
    void output(int nextHop, byte[] frame) {
        long now = host.now();
        Entry e = table.get(nextHop);
        if (e != null) {
            refreshLazily(e, now);
            e = table.get(nextHop);
        }
        if (e == null) {
            e = new Entry(nextHop);
            e.state = ArpEntry.State.INCOMPLETE;
            e.confirmedNanos = now;
            e.usedNanos = now;
            table.put(nextHop, e);
            enqueue(e, frame);
            e.probes = 1;
            sendRequest(nextHop, Addresses.BROADCAST_MAC);
            arm(e, millis(cfg.arpRetransMs));
            if (host.logging()) {
                host.log("arp: resolving " + Addresses.formatIpv4(nextHop));
            }
            return;
        }
        e.usedNanos = now;
        switch (e.state) {
            case INCOMPLETE:
                enqueue(e, frame);
                return;
            case STALE:
                e.state = ArpEntry.State.DELAY;
                arm(e, millis(cfg.arpDelayFirstProbeMs));
                transmit(e, frame);
                return;
            default:
                transmit(e, frame);
        }
    }

    /** Upper-layer proof that the neighbour is alive (TCP forward progress), as Linux's {@code dst_confirm()}. */
    void confirm(int ip) {
        Entry e = table.get(ip);
        if (e != null && e.state != ArpEntry.State.INCOMPLETE) {
            markReachable(e, host.now());
        }
    }

    /** Handles a received ARP frame (already known to be for us or broadcast). */
    void receive(byte[] f) {
        if (!Arp.isEthernetIpv4(f, f.length)) {
            host.malformed("arp: not Ethernet/IPv4 or truncated");
            return;
        }
        int op = Arp.op(f);
        int spa = Arp.senderIp(f);
        long sha = Arp.senderMac(f);
        int tpa = Arp.targetIp(f);
        if (op != Arp.OP_REQUEST && op != Arp.OP_REPLY) {
            host.malformed("arp: unknown operation " + op);
            return;
        }
        if (Addresses.isMulticastMac(sha) || sha == 0) {
            host.malformed("arp: sender hardware address is not unicast");
            return;
        }
        int myIp = host.ipInt();
        if (spa == myIp) {
            // Someone else claims our address (or our own gratuitous ARP came back through a hub).
            if (sha != host.macLong() && host.logging()) {
                host.log("arp: address conflict with " + Addresses.formatMac(sha));
            }
            return;
        }
        long now = host.now();
        Entry e = spa == 0 ? null : table.get(spa);
        boolean forUs = tpa == myIp;
        if (op == Arp.OP_REQUEST && forUs) {
            if (spa != 0) {
                if (e == null) {
                    e = new Entry(spa);
                    e.mac = sha;
                    e.state = ArpEntry.State.STALE;
                    e.confirmedNanos = now;
                    e.usedNanos = now;
                    table.put(spa, e);
                } else {
                    learn(e, sha, false, now);
                }
            }
            byte[] reply = Arp.build(sha, host.macLong(), Arp.OP_REPLY, host.macLong(), myIp, sha, spa);
            host.counters.arpRepliesSent++;
            host.transmit(reply);
            return;
        }
        if (e != null) {
            learn(e, sha, op == Arp.OP_REPLY && forUs, now);
        }
    }

    /** Updates an entry from an ARP packet; {@code solicited} confirms it. */
    private void learn(Entry e, long sha, boolean solicited, long now) {
        if (solicited) {
            e.mac = sha;
            markReachable(e, now);
            return;
        }
        if (e.state == ArpEntry.State.INCOMPLETE) {
            // A request from the neighbour we are resolving tells us its MAC: enough to send (Linux moves to STALE).
            e.mac = sha;
            e.state = ArpEntry.State.STALE;
            cancelTimer(e);
            flush(e);
            return;
        }
        if (e.mac != sha) {
            e.mac = sha;
            cancelTimer(e);
            e.state = ArpEntry.State.STALE;
        }
    }

    private void markReachable(Entry e, long now) {
        boolean wasIncomplete = e.state == ArpEntry.State.INCOMPLETE;
        cancelTimer(e);
        e.state = ArpEntry.State.REACHABLE;
        e.confirmedNanos = now;
        e.probes = 0;
        long base = millis(cfg.arpReachableMs);
        e.reachableNanos = base / 2 + (long) (host.random().nextDouble() * base);
        if (wasIncomplete) {
            if (host.logging()) {
                host.log("arp: " + Addresses.formatIpv4(e.ip) + " is-at " + Addresses.formatMac(e.mac));
            }
            flush(e);
        }
    }

    /** REACHABLE entries whose time ran out become STALE; unused STALE entries past gc_stale_time go. */
    private void refreshLazily(Entry e, long now) {
        if (e.state == ArpEntry.State.REACHABLE && now - e.confirmedNanos >= e.reachableNanos) {
            e.state = ArpEntry.State.STALE;
        }
        if (e.state == ArpEntry.State.STALE && now - e.usedNanos >= millis(cfg.arpGcStaleMs)
                && now - e.confirmedNanos >= millis(cfg.arpGcStaleMs)) {
            table.remove(e.ip);
        }
    }

    private void timerFired(Entry e) {
        e.timer = null;
        if (table.get(e.ip) != e) {
            return;
        }
        switch (e.state) {
            case INCOMPLETE:
                if (e.probes < cfg.arpMcastSolicit) {
                    e.probes++;
                    sendRequest(e.ip, Addresses.BROADCAST_MAC);
                    arm(e, millis(cfg.arpRetransMs));
                } else {
                    fail(e);
                }
                return;
            case DELAY:
                e.state = ArpEntry.State.PROBE;
                e.probes = 1;
                sendRequest(e.ip, e.mac);
                arm(e, millis(cfg.arpRetransMs));
                return;
            case PROBE:
                if (e.probes < cfg.arpUcastSolicit) {
                    e.probes++;
                    sendRequest(e.ip, e.mac);
                    arm(e, millis(cfg.arpRetransMs));
                } else {
                    fail(e);
                }
                return;
            default:
                return;
        }
    }

    private void fail(Entry e) {
        table.remove(e.ip);
        host.counters.arpFailures++;
        if (host.logging()) {
            host.log("arp: " + Addresses.formatIpv4(e.ip) + " failed, " + e.queue.size() + " packets dropped");
        }
        List<byte[]> dropped = new ArrayList<>(e.queue);
        e.queue.clear();
        for (byte[] frame : dropped) {
            host.counters.arpQueueDrops++;
            host.icmp.localHostUnreachable(frame);
        }
    }

    private void enqueue(Entry e, byte[] frame) {
        if (e.queue.size() >= cfg.arpQueueLimit) {
            e.queue.poll();
            host.counters.arpQueueDrops++;
        }
        e.queue.add(frame);
    }

    private void flush(Entry e) {
        while (!e.queue.isEmpty()) {
            transmit(e, e.queue.poll());
        }
    }

    private void transmit(Entry e, byte[] frame) {
        Addresses.writeMac(frame, Ethernet.DST, e.mac);
        host.transmit(frame);
    }

    private void sendRequest(int targetIp, long ethDst) {
        byte[] req = Arp.build(ethDst, host.macLong(), Arp.OP_REQUEST, host.macLong(), host.ipInt(), 0L, targetIp);
        host.counters.arpRequestsSent++;
        host.transmit(req);
    }

    /** Sends a gratuitous ARP request announcing our address (RFC 5227 §3 announcement). */
    void announce() {
        byte[] g = Arp.build(Addresses.BROADCAST_MAC, host.macLong(), Arp.OP_REQUEST, host.macLong(), host.ipInt(),
                0L, host.ipInt());
        host.counters.arpRequestsSent++;
        host.transmit(g);
    }

    private void arm(Entry e, long delayNanos) {
        cancelTimer(e);
        e.timer = host.schedule(delayNanos, () -> timerFired(e));
    }

    private static void cancelTimer(Entry e) {
        if (e.timer != null) {
            e.timer.cancel();
            e.timer = null;
        }
    }

    /** The table as {@code ip neigh} shows it. */
    List<ArpEntry> snapshot() {
        long now = host.now();
        List<ArpEntry> out = new ArrayList<>();
        for (Entry e : new ArrayList<>(table.values())) {
            refreshLazily(e, now);
            if (table.get(e.ip) != e) {
                continue;
            }
            out.add(new ArpEntry(Addresses.inet4(e.ip),
                    e.state == ArpEntry.State.INCOMPLETE ? null : Addresses.formatMac(e.mac), e.state,
                    (now - e.confirmedNanos) / 1_000_000));
        }
        out.sort((a, b) -> Integer.compareUnsigned(Addresses.ipv4(a.ip()), Addresses.ipv4(b.ip())));
        return out;
    }

    /** Forgets everything; queued packets are dropped without error reports (as {@code ip neigh flush}). */
    void clear() {
        for (Iterator<Entry> it = table.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            cancelTimer(e);
            host.counters.arpQueueDrops += e.queue.size();
            it.remove();
        }
    }

    private static long millis(long ms) {
        return ms * 1_000_000L;
    }
}
