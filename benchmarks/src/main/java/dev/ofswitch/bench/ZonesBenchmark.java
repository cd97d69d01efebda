package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnFilter;
import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code bench test-conntrack benchmark-zones N_CONNS N_ZONES ITERATIONS}: OVS's
 * {@code ovstest test-conntrack benchmark-zones}: commits, lookups and flushes with many connections, one thread,
 * one packet per call.
 *
 * <p>Workload (as {@code test_benchmark_zones()} in OVS {@code tests/test-conntrack.c}): {@code N_CONNS} one-packet
 * "batches" of the 42-byte UDP template, packet {@code i} with source port {@code i >> 16} and destination port
 * {@code i & 0xffff}, each 0 replaced by 65535 (so with 100 000 packets, 0 and 65535 are the same tuple). Every packet
 * has its own metadata, and its cached connection is cleared after every call. Time is frozen.
 * <ol>
 * <li>Initial insert: every packet {@code ct(commit)} into each zone 0..{@code N_ZONES}-1.
 * <li>{@code ITERATIONS} times, each step timed by a microsecond stopwatch: flush zone 1 ("flush full zone");
 * commit all {@code N_CONNS} into zone 1 again, all new ("ct execute (commit)"); send them all again without commit,
 * all hits ("ct execute (no commit)"); flush zone 65535, which is empty ("flush empty zone").
 * </ol>
 *
 * <p>Output: ovstest's lines, then one more table row, {@code Mean}, the arithmetic mean per step. ovstest's "95%ile"
 * and "Avg" rows are not a percentile and a mean; {@link OvsStopwatch} reproduces them and says what they are.
 */
final class ZonesBenchmark {
    static final String COMMAND = "test-conntrack benchmark-zones";
    static final String SYNOPSIS = "N_CONNS N_ZONES ITERATIONS";

    private ZonesBenchmark() {
    }

    static int run(String[] argv) throws UsageException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 3, 3);
        // ovstest's bounds are 1..2^32-2 connections and 1..65534 zones; an array bounds N_CONNS here.
        int nConns = (int) args.integer(0, "N_CONNS", 1, Integer.MAX_VALUE - 8);
        int nZones = (int) args.integer(1, "N_ZONES", 1, 65534);
        long iterations = args.integer(2, "ITERATIONS", 1, Long.MAX_VALUE);
        PrintStream out = System.out;

        ControllableClock clock = ControllableClock.manual(System.nanoTime());
        long now = clock.nanoTime();
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock))) {
            long start = millis();
            byte[][] frames = new byte[nConns][];
            CtMetadata[] md = new CtMetadata[nConns];
            for (int i = 0; i < nConns; i++) {
                frames[i] = Frames.zonesPacket(i);
                md[i] = new CtMetadata();
            }
            out.printf(Locale.ROOT, "initial packet generation time: %d ms%n", millis() - start);

            start = millis();
            for (int zone = 0; zone < nZones; zone++) {
                execute(ct, frames, md, zone, CtParams.COMMIT, now);
            }
            out.printf(Locale.ROOT, "initial insert time: %d ms%n", millis() - start);

            OvsStopwatch commit = new OvsStopwatch();
            OvsStopwatch noCommit = new OvsStopwatch();
            OvsStopwatch flushFull = new OvsStopwatch();
            OvsStopwatch flushEmpty = new OvsStopwatch();
            ConnFilter zone1 = ConnFilter.zone(1);
            ConnFilter zoneMax = ConnFilter.zone(65535);
            start = millis();
            for (long it = 0; it < iterations; it++) {
                flushFull.start(micros());
                ct.flush(zone1, now);
                flushFull.stop(micros());

                commit.start(micros());
                execute(ct, frames, md, 1, CtParams.COMMIT, now);
                commit.stop(micros());

                noCommit.start(micros());
                execute(ct, frames, md, 1, CtParams.LOOKUP, now);
                noCommit.stop(micros());

                flushEmpty.start(micros());
                ct.flush(zoneMax, now);
                flushEmpty.stop(micros());
            }
            out.printf(Locale.ROOT, "flush run time: %d ms%n", millis() - start);

            OvsStopwatch[] sw = {commit, noCommit, flushFull, flushEmpty};
            out.println("results:");
            out.println("         | ct execute (commit) | ct execute (no commit) | flush full zone | flush empty zone |");
            out.println("+--------+---------------------+------------------------+-----------------+------------------+");
            out.printf(Locale.ROOT, "| Min    | %16d us | %19d us | %12d us | %13d us |%n",
                    sw[0].min(), sw[1].min(), sw[2].min(), sw[3].min());
            out.printf(Locale.ROOT, "| Max    | %16d us | %19d us | %12d us | %13d us |%n",
                    sw[0].max(), sw[1].max(), sw[2].max(), sw[3].max());
            out.println(row("95%ile", sw[0].pctl95(), sw[1].pctl95(), sw[2].pctl95(), sw[3].pctl95()));
            out.println(row("Avg", sw[0].ewma1(), sw[1].ewma1(), sw[2].ewma1(), sw[3].ewma1()));
            out.println(row("Mean", sw[0].mean(), sw[1].mean(), sw[2].mean(), sw[3].mean()));
        }
        return 0;
    }

    /** One call per packet, as ovstest's one-packet batches, then the cached connection is cleared. */
    private static void execute(ConnTracker ct, byte[][] frames, CtMetadata[] md, int zone, CtParams params,
                                long now) {
        for (int j = 0; j < frames.length; j++) {
            ct.execute(frames[j], 0, Frames.UDP_FRAME_LEN, zone, params, md[j], now);
            md[j].forgetConnection();
        }
    }

    private static String row(String label, double commit, double noCommit, double flushFull, double flushEmpty) {
        return "| " + label + " ".repeat(6 - label.length()) + " | " + OvsStopwatch.fixed2(commit, 16) + " us | "
                + OvsStopwatch.fixed2(noCommit, 19) + " us | " + OvsStopwatch.fixed2(flushFull, 12) + " us | "
                + OvsStopwatch.fixed2(flushEmpty, 13) + " us |";
    }

    /** OVS {@code time_msec()}: monotonic milliseconds. */
    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    /** OVS {@code time_usec()}: monotonic microseconds. */
    private static long micros() {
        return System.nanoTime() / 1_000;
    }
}
