package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A SYN flood of five million distinct connections against a full table, with the cleaner thread running and
 * established traffic flowing, as issue 7 asks: new commits beyond the limit are refused and counted, the table never
 * holds more than its limit, established connections keep their {@code +est} verdict and are never evicted, and the
 * counters balance ({@code created - expired - flushed == live}; every SYN either created a connection or was counted
 * as refused).
 *
 * <p>The clock is frozen and moved by the flood thread itself, one second per {@value #SYNS_PER_SECOND} SYNs, each
 * move followed by a pass of the cleaner thread as {@code ovs-appctl time/warp} does; the flood's zone gives
 * {@code tcp_syn_sent} a 1 s timeout, so that the cleaner keeps deleting expired half-open connections (at most its
 * per-pass share of each bucket) and the flood keeps winning some of the freed slots, as a real flood at the limit
 * does.
 */
class SynFloodAtLimitTest {
    private static final int LIMIT = 100_000;
    private static final int ESTABLISHED = 2_000;
    private static final int SYNS = 5_000_000;
    private static final int SYNS_PER_SECOND = 250_000;
    private static final int FLOOD_ZONE = 1;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void synFloodAtTheLimit_refusesAndCounts_establishedTrafficUnaffected() throws InterruptedException {
        ControllableClock clock = ControllableClock.manual(0);
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).connLimit(LIMIT))) {
            ct.setTimeoutPolicy(0, TimeoutPolicy.parse("udp_multiple=3600"));
            ct.setTimeoutPolicy(FLOOD_ZONE, TimeoutPolicy.parse("tcp_syn_sent=1"));
            byte[][] est = new byte[ESTABLISHED][];
            CtMetadata md = new CtMetadata();
            for (int i = 0; i < ESTABLISHED; i++) {
                est[i] = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1024 + i, 53).payload("q").build();
                byte[] reply = Frames.ipv4("10.0.0.2", "10.0.0.1").udp(53, 1024 + i).payload("a").build();
                ct.execute(est[i], 0, est[i].length, 0, CtParams.COMMIT, md, clock.nanoTime());
                md.forgetConnection();
                ct.execute(reply, 0, reply.length, 0, CtParams.LOOKUP, md, clock.nanoTime());
                md.forgetConnection();
            }

            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong estPackets = new AtomicLong();
            AtomicLong overLimit = new AtomicLong();
            Thread datapath = new Thread(() -> {
                try {
                    CtMetadata dmd = new CtMetadata();
                    long n = 0;
                    while (flooding.get()) {
                        byte[] f = est[(int) (n % ESTABLISHED)];
                        ct.execute(f, 0, f.length, 0, CtParams.LOOKUP, dmd, clock.nanoTime());
                        int want = CtState.TRK | CtState.EST;
                        if ((dmd.state() & want) != want) {
                            throw new AssertionError("established packet " + n + " came out " + dmd);
                        }
                        dmd.forgetConnection();
                        n++;
                    }
                    estPackets.set(n);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "datapath");
            datapath.start();

            CtMetadata fmd = new CtMetadata();
            long accepted = 0;
            for (int i = 0; i < SYNS && failure.get() == null; i++) {
                String src = "11." + ((i >>> 16) & 255) + "." + ((i >>> 8) & 255) + "." + (i & 255);
                byte[] syn = Frames.ipv4(src, "10.1.1.2").tcp(1024, 80).flags(Frames.SYN).seq(1000).build();
                ct.execute(syn, 0, syn.length, FLOOD_ZONE, CtParams.COMMIT, fmd, clock.nanoTime());
                if ((fmd.state() & CtState.NEW) != 0 && fmd.hasConnection()) {
                    accepted++;
                }
                fmd.forgetConnection();
                if ((i + 1) % SYNS_PER_SECOND == 0) {
                    // As ovs-appctl time/warp: move the clock, then have the cleaner thread run its pass now,
                    // so that the test does not depend on when a busy machine schedules it.
                    clock.warp(1000);
                    ct.sweepNow();
                }
                if ((i & 1023) == 0 && ct.connectionCount() > LIMIT) {
                    overLimit.incrementAndGet();
                }
            }
            flooding.set(false);
            datapath.join();
            if (failure.get() != null) {
                throw new AssertionError("a thread failed", failure.get());
            }
            ct.sweepNow();  // the cleaner's last pass is over; with the clock frozen it now sleeps

            CtStats s = ct.stats();
            assertEquals(0, overLimit.get(), "the table went over its limit");
            assertTrue(ct.connectionCount() <= LIMIT, s.toString());
            assertTrue(estPackets.get() > 0, "no established traffic ran");
            assertEquals(ESTABLISHED + accepted, s.created(), s.toString());
            assertEquals(SYNS - accepted, s.full(), "every refused SYN is counted: " + s);
            assertTrue(s.full() > SYNS / 2, "the flood met a full table: " + s);
            assertTrue(accepted > LIMIT, "the cleaner freed slots for the flood: " + s);
            assertEquals(s.created() - s.expired() - s.flushed(), ct.connectionCount(), s.toString());
            assertEquals(ESTABLISHED, ct.dump(0, clock.nanoTime()).size(), "no established connection was evicted");
        }
    }
}
