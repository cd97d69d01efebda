package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two datapath threads, the cleaner thread and a control thread (flushes, dumps, clock advances) on one tracker, over
 * ten million packets of new and existing UDP, TCP and ICMP connections that both datapath threads share, with
 * timeouts of one to three seconds so that connections keep expiring. Invariants: no exception anywhere, no key
 * dumped twice (at most one live connection per key and zone), and once everything stopped
 * {@code created - expired - flushed == connectionCount()}, zone counts equal to the live connections, and nothing
 * left after the last expiry. 15 to 50 s on 2 shared cores; an unlocked flush fails it.
 */
class ConcurrencyStressTest {
    private static final int PACKETS_PER_THREAD = 5_000_000;
    private static final int FLOWS = 2048;
    /** A datapath thread waits for one control round every this many packets, so both keep running. */
    private static final int ROUND = 25_000;
    private static final int ZONES = 4;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void datapathCleanerAndControl_keepTheTableConsistent() throws InterruptedException {
        ControllableClock clock = ControllableClock.manual(Long.MAX_VALUE - 2_000_000_000L);   // wraps on the way
        try (ConnTracker tracker = new ConnTracker(ConnTrackerConfig.defaults().clock(clock))) {
            for (int z = 0; z < ZONES; z++) {
                tracker.setTimeoutPolicy(z, TimeoutPolicy.parse("udp_first=" + (1 + z % 3) + " udp_single=2 "
                        + "udp_multiple=3 tcp_syn_sent=1 tcp_syn_recv=2 tcp_established=3 tcp_fin_wait=3 "
                        + "tcp_time_wait=2 tcp_close=1 icmp_first=1 icmp_reply=2"));
                tracker.setZoneLimit(z, 1_000_000);
            }
            byte[][] frames = frames();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean datapathDone = new AtomicBoolean();
            AtomicLong rounds = new AtomicLong();
            AtomicLong packets = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);

            List<Thread> datapath = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = 42 + t;
                datapath.add(thread("datapath-" + t, failure, () -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    CtMetadata md = new CtMetadata();
                    CtParams commit = CtParams.builder().commit(true).mark(1, 1).build();
                    start.await();
                    for (int i = 0; i < PACKETS_PER_THREAD && failure.get() == null; i++) {
                        if (i % ROUND == 0) {
                            // Let the control thread (dumps, flushes, clock) keep pace on a busy machine.
                            while (rounds.get() < i / ROUND && failure.get() == null) {
                                Thread.yield();
                            }
                        }
                        byte[] f = frames[rnd.nextInt(frames.length)];
                        int zone = rnd.nextInt(ZONES);
                        md.forgetConnection();
                        tracker.execute(f, 0, f.length, zone, (i & 3) == 0 ? CtParams.LOOKUP : commit, md,
                                clock.nanoTime());
                        if ((md.state() & CtState.TRK) == 0) {
                            throw new AssertionError("untracked verdict " + md);
                        }
                    }
                    packets.addAndGet(PACKETS_PER_THREAD);
                }));
            }
            Thread control = thread("control", failure, () -> {
                SplittableRandom rnd = new SplittableRandom(7);
                start.await();
                while (!datapathDone.get() && failure.get() == null) {
                    clock.warp(rnd.nextInt(1, 1500));
                    List<ConnEntry> dump = tracker.dump(rnd.nextInt(8) == 0 ? -1 : rnd.nextInt(ZONES),
                            clock.nanoTime());
                    Set<String> keys = new HashSet<>();
                    for (ConnEntry e : dump) {
                        String key = e.zone() + " " + e.orig().format();
                        if (!keys.add(key)) {
                            throw new AssertionError("dumped twice: " + e.format(true, true));
                        }
                        if (e.timeoutSeconds() > 3) {
                            throw new AssertionError("timeout beyond every policy: " + e.format(true, true));
                        }
                    }
                    rounds.incrementAndGet();
                    int r = rnd.nextInt(10);
                    if (r == 0) {
                        tracker.flush(ConnFilter.zone(rnd.nextInt(ZONES)), clock.nanoTime());
                    } else if (r == 1) {
                        tracker.flush(ConnFilter.parseDpctl(List.of("ct_nw_proto=17,ct_tp_dst=" + (1 + rnd.nextInt(
                                8)))), clock.nanoTime());
                    } else if (r <= 3) {
                        tracker.sweepNow();
                    }
                }
            });
            List<Thread> all = new ArrayList<>(datapath);
            all.add(control);
            all.forEach(Thread::start);
            start.countDown();
            for (Thread t : datapath) {
                t.join();
            }
            datapathDone.set(true);
            control.join();
            if (failure.get() != null) {
                throw new AssertionError("a thread failed", failure.get());
            }

            assertEquals(2L * PACKETS_PER_THREAD, packets.get());
            assertTrue(rounds.get() >= PACKETS_PER_THREAD / ROUND, "control rounds: " + rounds.get());
            CtStats s = tracker.stats();
            assertTrue(s.created() > 10_000 && s.expired() > 1000 && s.flushed() > 100, s.toString());
            assertEquals(s.created() - s.expired() - s.flushed(), tracker.connectionCount(), s.toString());
            long zoneCounts = 0;
            for (int z = 0; z < ZONES; z++) {
                zoneCounts += tracker.zoneCount(z);
            }
            assertEquals(tracker.connectionCount(), zoneCounts);

            clock.warp(3001);
            tracker.sweepNow();
            s = tracker.stats();
            assertEquals(0, tracker.connectionCount(), s.toString());
            assertEquals(s.created(), s.expired() + s.flushed(), s.toString());
            assertEquals(List.of(), tracker.dump(-1));
            for (int z = 0; z < ZONES; z++) {
                assertEquals(0, tracker.zoneCount(z), "zone " + z);
            }
        }
    }

    /** Both directions of UDP and ICMP echo flows and TCP handshakes, on FLOWS source ports. */
    private static byte[][] frames() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            int port = 1024 + i;
            int dport = 1 + i % 8;
            out.add(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(port, dport).payload("q").build());
            out.add(Frames.ipv4("10.0.0.2", "10.0.0.1").udp(dport, port).payload("a").build());
            if (i % 4 == 0) {
                Frames.Builder a = Frames.ipv4("10.0.1.1", "10.0.1.2").tcp(port, 80);
                Frames.Builder b = Frames.ipv4("10.0.1.2", "10.0.1.1").tcp(80, port);
                out.add(a.copy().flags(Frames.SYN).seq(1000).build());
                out.add(b.copy().flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001).build());
                out.add(a.copy().flags(Frames.ACK).seq(1001).ack(5001).build());
                out.add(a.copy().flags(Frames.FIN | Frames.ACK).seq(1001).ack(5001).build());
            }
            if (i % 8 == 0) {
                out.add(Frames.ipv4("10.0.2.1", "10.0.2.2").icmpEcho(8, i, 1).build());
                out.add(Frames.ipv4("10.0.2.2", "10.0.2.1").icmpEcho(0, i, 1).build());
            }
        }
        return out.toArray(new byte[0][]);
    }

    /** A body that may throw. */
    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
