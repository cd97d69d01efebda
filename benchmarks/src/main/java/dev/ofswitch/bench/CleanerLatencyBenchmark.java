package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtStats;
import dev.ofswitch.conntrack.TimeoutKey;
import dev.ofswitch.conntrack.TimeoutPolicy;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code bench ct-cleaner N_CONNS N_THREADS DURATION_S}: what a mass expiry costs the datapath. {@code N_CONNS}
 * connections expire at the same instant while {@code N_THREADS} datapath threads keep looking up live connections;
 * the tracker's own cleaner thread deletes the expired ones. No upstream tool measures this.
 *
 * <p>Workload:
 * <ol>
 * <li>Zone {@value #DYING_ZONE} gets a timeout policy of {@value #DYING_TIMEOUT_S} s for every UDP state, and
 * {@code N_CONNS} one-packet UDP connections are committed there (sources 10.0.0.0 + i, to 10.1.1.2, ports 1 → 2).
 * <li>Each datapath thread commits {@value #LIVE_PER_THREAD} connections of its own in zone {@value #LIVE_ZONE}
 * (default policy: 60 s), then sends them round-robin without commit, {@value #BATCH} packets per {@code now}
 * reading, clearing the cached connection after every packet. Every packet refreshes its connection.
 * <li>After {@value #WARMUP_S} s of warm-up (not recorded) and {@value #IDLE_S} s of recorded baseline ("idle"), the
 * clock (a {@link ControllableClock} that runs in real time) is warped forward {@value #DYING_TIMEOUT_S} s + 1 s:
 * every zone-1 connection is now expired, every live one still has about 29 s to go. The warp wakes the cleaner,
 * which sweeps as it always does, passes of a bounded number of deletions per bucket separated by
 * {@code CT_CLEAN_MIN_INTERVAL}, holding a bucket lock for at most {@code SWEEP_CHUNK} deletions at a time.
 * <li>Packets are recorded as "sweep" from the warp until the last expired connection is deleted (polled every
 * millisecond), then as "after" until {@code DURATION_S} seconds after the warp.
 * </ol>
 *
 * <p>Latency is the time from the end of one packet's {@code execute()} to the end of the next one's, on one thread:
 * the packet's service time plus about two {@link System#nanoTime()} calls and a histogram update (HdrHistogram,
 * 3 significant digits). A lock held by the cleaner shows up as a tail. Output: sweep wall time, cleaner passes and
 * CPU time ({@link CtStats#cleanerCpuNanos()}), p50/p99/p99.9/max per phase, and the garbage collections that
 * happened during the sweep, so that a GC pause is not mistaken for lock waiting. With {@code N_THREADS} equal to
 * the number of cores, the cleaner also competes with the datapath threads for CPU.
 */
final class CleanerLatencyBenchmark {
    static final String COMMAND = "ct-cleaner";
    static final String SYNOPSIS = "N_CONNS N_THREADS DURATION_S";

    static final int DYING_ZONE = 1;
    static final int LIVE_ZONE = 0;
    static final int DYING_TIMEOUT_S = 30;
    static final int LIVE_PER_THREAD = 1024;
    static final int BATCH = 32;
    static final int WARMUP_S = 2;
    static final int IDLE_S = 1;

    private static final int WARMUP = 0;
    private static final int IDLE = 1;
    private static final int SWEEP = 2;
    private static final int AFTER = 3;
    private static final int STOP = 4;
    private static final String[] PHASE_NAMES = {"warmup", "idle", "sweep", "after"};
    private static final long MAX_RECORDED_NANOS = TimeUnit.SECONDS.toNanos(10);

    private CleanerLatencyBenchmark() {
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 3, 3);
        int nConns = (int) args.integer(0, "N_CONNS", 1, ConnTracker.DEFAULT_CONN_LIMIT - 64 * LIVE_PER_THREAD);
        int nThreads = (int) args.integer(1, "N_THREADS", 1, 64);
        int durationS = (int) args.integer(2, "DURATION_S", 1, 3600);
        PrintStream out = System.out;

        ControllableClock clock = ControllableClock.running();
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock))) {
            TimeoutPolicy dying = TimeoutPolicy.defaults().with(TimeoutKey.UDP_FIRST, DYING_TIMEOUT_S)
                    .with(TimeoutKey.UDP_SINGLE, DYING_TIMEOUT_S).with(TimeoutKey.UDP_MULTIPLE, DYING_TIMEOUT_S);
            ct.setTimeoutPolicy(DYING_ZONE, dying);

            long setupStart = System.nanoTime();
            byte[] frame = Frames.udp(0, Frames.IP_10_1_1_2, 1, 2);
            CtMetadata md = new CtMetadata();
            for (int i = 0; i < nConns; i++) {
                Frames.setIpv4Source(frame, 0x0a000000 + i);
                ct.execute(frame, 0, Frames.UDP_FRAME_LEN, DYING_ZONE, CtParams.COMMIT, md, clock.nanoTime());
                md.forgetConnection();
            }
            out.printf(Locale.ROOT, "ct-cleaner: %d conns in zone %d (timeout %d s) committed in %d ms; %d datapath "
                            + "thread(s), %d live conns each in zone %d%n", nConns, DYING_ZONE, DYING_TIMEOUT_S,
                    (System.nanoTime() - setupStart) / 1_000_000, nThreads, LIVE_PER_THREAD, LIVE_ZONE);

            Histogram[][] histograms = new Histogram[nThreads][PHASE_NAMES.length];
            long[] lost = new long[nThreads];
            Phase phase = new Phase();
            Workers workers = new Workers("datapath", nThreads, false,
                    (t, barrier) -> lookUpLive(ct, clock, phase, t, histograms[t], lost));

            TimeUnit.SECONDS.sleep(WARMUP_S);
            phase.value = IDLE;
            TimeUnit.SECONDS.sleep(IDLE_S);
            CtStats before = ct.stats();
            long[] gcBefore = gcCountAndMillis();

            long warpNanos = System.nanoTime();
            phase.value = SWEEP;
            clock.warp((DYING_TIMEOUT_S + 1) * 1000L);
            long deadline = warpNanos + TimeUnit.SECONDS.toNanos(durationS);
            while (ct.stats().expired() - before.expired() < nConns && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            long sweepNanos = System.nanoTime() - warpNanos;
            long[] gcDuringSweep = gcCountAndMillis();
            phase.value = AFTER;
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            phase.value = STOP;
            workers.join();
            CtStats after = ct.stats();

            long deleted = after.expired() - before.expired();
            long cpuNanos = after.cleanerCpuNanos() - before.cleanerCpuNanos();
            out.printf(Locale.ROOT, "sweep: %d of %d expired conns deleted in %d ms (warp to last deletion)%s%n",
                    deleted, nConns, sweepNanos / 1_000_000, deleted < nConns ? ", NOT FINISHED" : "");
            out.printf(Locale.ROOT, "cleaner: %d passes, CPU %.1f ms (%.3f us per deleted conn), over the %d s after "
                            + "the warp%n", after.cleanerPasses() - before.cleanerPasses(), cpuNanos / 1e6,
                    deleted == 0 ? 0.0 : cpuNanos / 1e3 / deleted, durationS);
            out.printf(Locale.ROOT, "gc during the sweep: %d collections, %d ms%n",
                    gcDuringSweep[0] - gcBefore[0], gcDuringSweep[1] - gcBefore[1]);
            out.println("datapath latency per packet, ns (back-to-back, includes ~2 nanoTime() calls):");
            out.printf(Locale.ROOT, "  %-6s %12s %8s %8s %8s %10s%n", "phase", "packets", "p50", "p99", "p99.9",
                    "max");
            for (int p = IDLE; p <= AFTER; p++) {
                Histogram h = new Histogram(MAX_RECORDED_NANOS, 3);
                for (Histogram[] perThread : histograms) {
                    h.add(perThread[p]);
                }
                out.printf(Locale.ROOT, "  %-6s %12d %8d %8d %8d %10d%n", PHASE_NAMES[p], h.getTotalCount(),
                        h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                        h.getMaxValue());
            }
            long lostTotal = 0;
            for (long l : lost) {
                lostTotal += l;
            }
            if (lostTotal != 0) {
                System.err.printf(Locale.ROOT, "bench ct-cleaner: %d lookups of live connections missed%n",
                        lostTotal);
                return 1;
            }
        }
        return 0;
    }

    /** The phase the datapath threads record into; written by the main thread only. */
    private static final class Phase {
        volatile int value = WARMUP;
    }

    /** One datapath thread: commits its live connections, then looks them up until the phase is STOP. */
    private static void lookUpLive(ConnTracker ct, ControllableClock clock, Phase phase, int t,
                                   Histogram[] histograms, long[] lost) {
        for (int p = 0; p < histograms.length; p++) {
            histograms[p] = new Histogram(MAX_RECORDED_NANOS, 3);
        }
        byte[][] frames = new byte[LIVE_PER_THREAD][];
        CtMetadata md = new CtMetadata();
        for (int i = 0; i < LIVE_PER_THREAD; i++) {
            frames[i] = Frames.udp(0x0a800000 + (t << 12) + i, Frames.IP_10_1_1_2, 1, 2);
            ct.execute(frames[i], 0, Frames.UDP_FRAME_LEN, LIVE_ZONE, CtParams.COMMIT, md, clock.nanoTime());
            md.forgetConnection();
        }
        int k = 0;
        long misses = 0;
        long prev = System.nanoTime();
        while (true) {
            int ph = phase.value;
            if (ph == STOP) {
                break;
            }
            Histogram h = histograms[ph];
            long now = clock.nanoTime();
            for (int j = 0; j < BATCH; j++) {
                ct.execute(frames[k], 0, Frames.UDP_FRAME_LEN, LIVE_ZONE, CtParams.LOOKUP, md, now);
                if (!md.hasConnection()) {
                    misses++;
                }
                md.forgetConnection();
                long end = System.nanoTime();
                h.recordValue(Math.min(end - prev, MAX_RECORDED_NANOS));
                prev = end;
                k = k + 1 == LIVE_PER_THREAD ? 0 : k + 1;
            }
        }
        lost[t] = misses;
    }

    /** Collections and their accumulated milliseconds, over all collectors. */
    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }
}
