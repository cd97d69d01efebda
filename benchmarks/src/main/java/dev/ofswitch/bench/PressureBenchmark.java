package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.CtStats;
import dev.ofswitch.conntrack.TimeoutPolicy;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench ct-pressure LIMIT N_EST SECONDS}: established traffic while the table is full and a SYN flood runs.
 *
 * <p>A tracker with a global limit of {@code LIMIT} connections, its cleaner thread running on the real clock. Zone 0
 * holds {@code N_EST} established UDP connections (committed, then answered), ct-multi's flows (10.0.0.0 + i:1 →
 * 10.1.1.2:2). The rest of the table is filled with half-open TCP connections in zone 1 (SYNs from 172.16.0.0 + i to
 * 10.1.1.2:80), whose policy gives {@code tcp_syn_sent} a 1 s timeout, so that the cleaner deletes a table's worth of
 * them every second and the flood gets some of the freed slots.
 *
 * <table>
 *   <caption>Phases</caption>
 *   <tr><th>phase</th><th>threads</th><th>what</th></tr>
 *   <tr><td>quiet</td><td>1</td><td>{@code SECONDS / 2}: established packets only, round-robin over the N_EST
 *       connections, {@code ct()} without commit (lookup + re-arm)</td></tr>
 *   <tr><td>flood</td><td>2</td><td>{@code SECONDS / 2}: the same established traffic, and a second thread that
 *       commits SYNs of never-seen tuples as fast as it can</td></tr>
 * </table>
 *
 * <p>Output: {@code quiet: X Mpps (established)}, {@code flood: X Mpps (established), Y M SYN/s offered, C
 * committed, R refused (table full)}, {@code cleaner: E expired, P passes, CPU ms} and {@code tracked: N conns (limit
 * L)}. Exit status 1 if an established packet ever came out other than {@code +trk+est}, or the table exceeded its
 * limit. Established packets that meet the full table are unaffected because a lookup never needs a slot; this
 * command shows what the flood costs them in throughput (bucket locks, cache, the cleaner's CPU on 2 cores).
 */
final class PressureBenchmark {
    static final String COMMAND = "ct-pressure";
    static final String SYNOPSIS = "LIMIT N_EST SECONDS";
    private static final int FLOOD_ZONE = 1;
    private static final int SYN_SOURCE_BASE = 0xac100000;    // 172.16.0.0

    private PressureBenchmark() {
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 3, 3);
        int limit = (int) args.integer(0, "LIMIT", 2, 50_000_000);
        int nEst = (int) args.integer(1, "N_EST", 1, limit - 1);
        long seconds = args.integer(2, "SECONDS", 2, 3600);

        ControllableClock clock = ControllableClock.running();
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).connLimit(limit))) {
            ct.setTimeoutPolicy(FLOOD_ZONE, TimeoutPolicy.parse("tcp_syn_sent=1"));
            byte[][] est = new byte[nEst][];
            CtMetadata md = new CtMetadata();
            for (int i = 0; i < nEst; i++) {
                est[i] = Frames.udp(0x0a000000 + i, Frames.IP_10_1_1_2, 1, 2);
                ct.execute(est[i], 0, est[i].length, 0, CtParams.COMMIT, md, clock.nanoTime());
                md.forgetConnection();
                byte[] reply = Frames.reversed(est[i]);
                ct.execute(reply, 0, reply.length, 0, CtParams.LOOKUP, md, clock.nanoTime());
                md.forgetConnection();
            }
            int synSource = 0;
            while (ct.connectionCount() < limit) {
                byte[] syn = syn(synSource++);
                ct.execute(syn, 0, syn.length, FLOOD_ZONE, CtParams.COMMIT, md, clock.nanoTime());
                if ((md.state() & CtState.NEW) == 0) {
                    System.err.printf(Locale.ROOT, "bench ct-pressure: SYN refused while filling: %s%n", md);
                    return 1;
                }
                md.forgetConnection();
            }

            long phaseNanos = seconds * 500_000_000L;
            AtomicLong badVerdicts = new AtomicLong();
            long quiet = established(ct, clock, est, phaseNanos, new AtomicBoolean(), badVerdicts);

            CtStats before = ct.stats();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong offered = new AtomicLong();
            AtomicLong overLimit = new AtomicLong();
            int firstFloodSource = synSource;
            Thread flood = new Thread(() -> {
                CtMetadata fmd = new CtMetadata();
                long n = 0;
                while (!stop.get()) {
                    // A new frame per SYN, as a flood brings: the source address changes the TCP checksum.
                    byte[] f = syn(firstFloodSource + (int) n);
                    ct.execute(f, 0, f.length, FLOOD_ZONE, CtParams.COMMIT, fmd, clock.nanoTime());
                    fmd.forgetConnection();
                    if (++n % 4096 == 0 && ct.connectionCount() > limit) {
                        overLimit.incrementAndGet();
                    }
                }
                offered.set(n);
            }, "syn-flood");
            flood.start();
            long loaded = established(ct, clock, est, phaseNanos, stop, badVerdicts);
            stop.set(true);
            flood.join();
            CtStats after = ct.stats();

            double phaseSeconds = phaseNanos / 1e9;
            System.out.printf(Locale.ROOT, "quiet: %.2f Mpps (established)%n", quiet / phaseSeconds / 1e6);
            System.out.printf(Locale.ROOT, "flood: %.2f Mpps (established), %.2f M SYN/s offered, %d committed, "
                            + "%d refused (table full)%n", loaded / phaseSeconds / 1e6,
                    offered.get() / phaseSeconds / 1e6, after.created() - before.created(),
                    after.full() - before.full());
            System.out.printf(Locale.ROOT, "cleaner: %d expired, %d passes, %d ms CPU%n",
                    after.expired() - before.expired(), after.cleanerPasses() - before.cleanerPasses(),
                    (after.cleanerCpuNanos() - before.cleanerCpuNanos()) / 1_000_000);
            System.out.printf(Locale.ROOT, "tracked: %d conns (limit %d)%n", ct.connectionCount(), limit);
            if (badVerdicts.get() != 0 || overLimit.get() != 0) {
                System.err.printf(Locale.ROOT, "bench ct-pressure: %d established packets not +trk+est, the table "
                        + "over its limit %d times%n", badVerdicts.get(), overLimit.get());
                return 1;
            }
            return 0;
        }
    }

    /** A SYN from source address number {@code i} of the flood's range. */
    private static byte[] syn(int i) {
        return Frames.tcp(SYN_SOURCE_BASE + i, Frames.IP_10_1_1_2, 1024, 80, Frames.SYN, 1000, 0);
    }

    /**
     * Sends established packets round-robin for {@code nanos} of real time (or until {@code stop}); returns how many.
     * Stops {@code stop} itself when the time is up, so that a concurrent flood ends with it.
     */
    private static long established(ConnTracker ct, ControllableClock clock, byte[][] est, long nanos,
                                    AtomicBoolean stop, AtomicLong bad) {
        CtMetadata md = new CtMetadata();
        long start = System.nanoTime();
        long n = 0;
        int want = CtState.TRK | CtState.EST;
        while (true) {
            for (int k = 0; k < 1024; k++) {
                byte[] f = est[(int) (n % est.length)];
                ct.execute(f, 0, f.length, 0, CtParams.LOOKUP, md, clock.nanoTime());
                if ((md.state() & want) != want) {
                    bad.incrementAndGet();
                }
                md.forgetConnection();
                n++;
            }
            if (System.nanoTime() - start >= nanos) {
                stop.set(true);
                return n;
            }
        }
    }
}
