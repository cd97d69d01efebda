package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Locale;

/**
 * {@code bench ct-multi N_THREADS CONNS_PER_THREAD PASSES BATCH}: the {@code ct-multi} harness of the OVS anchor
 * measurements (not an upstream tool): many connections, several threads.
 *
 * <p>Workload: thread {@code t} owns {@code CONNS_PER_THREAD} distinct UDP flows built from the 42-byte template, flow
 * {@code i} from {@code 10.0.0.0 + ((t+1) << 20) + i} (IP checksum fixed up) to 10.1.1.2, ports 1 → 2; all in zone 0,
 * {@code ct(commit)}, time frozen. Flows are sent in consecutive batches of {@code BATCH} distinct flows, one
 * metadata per batch slot, and every packet's cached connection is cleared after the batch.
 * <ol>
 * <li>Insert phase: every flow once; each packet creates a connection.
 * <li>Lookup phase: all flows {@code PASSES} more times in the same order; each packet hits.
 * </ol>
 * The threads meet at a barrier before each phase; a phase is timed from the earliest worker start to the latest
 * worker end, with timestamps taken inside the workers.
 *
 * <p>Output: {@code insert: N ms, X Mpps (new conns)}, {@code lookup: N ms, X Mpps (existing conns)}, and the number of
 * tracked connections (which must be {@code N_THREADS * CONNS_PER_THREAD}).
 */
final class MultiFlowBenchmark {
    static final String COMMAND = "ct-multi";
    static final String SYNOPSIS = "N_THREADS CONNS_PER_THREAD PASSES BATCH";

    private MultiFlowBenchmark() {
    }

    /** ct-multi's arguments ({@value #SYNOPSIS}), checked; shared with {@code ct-nat}, which takes the same. */
    record Shape(int nThreads, int conns, int passes, int batch) {
        long total() {
            return (long) nThreads * conns;
        }

        static Shape parse(Args args) throws UsageException {
            int nThreads = (int) args.integer(0, "N_THREADS", 1, 254);
            // Flows of one thread stay inside its own /12, so no two threads share a flow.
            int conns = (int) args.integer(1, "CONNS_PER_THREAD", 1, 1 << 20);
            int passes = (int) args.integer(2, "PASSES", 0, Integer.MAX_VALUE);
            int batch = (int) args.integer(3, "BATCH", 1, HotConnectionBenchmark.MAX_BATCH);
            Shape shape = new Shape(nThreads, conns, passes, batch);
            if (shape.total() > ConnTracker.DEFAULT_CONN_LIMIT) {
                throw args.error("N_THREADS * CONNS_PER_THREAD must be at most the connection limit "
                        + ConnTracker.DEFAULT_CONN_LIMIT + ", got " + shape.total());
            }
            return shape;
        }
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        Shape shape = Shape.parse(new Args(COMMAND, SYNOPSIS, argv, 4, 4));
        int nThreads = shape.nThreads();
        int conns = shape.conns();
        int passes = shape.passes();
        int batch = shape.batch();
        long total = shape.total();

        long[] insertStart = new long[nThreads];
        long[] insertEnd = new long[nThreads];
        long[] lookupStart = new long[nThreads];
        long[] lookupEnd = new long[nThreads];
        ControllableClock clock = ControllableClock.manual(System.nanoTime());
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock))) {
            Workers workers = new Workers("ct_thread", nThreads, false, (t, barrier) -> {
                long now = clock.nanoTime();
                byte[][] frames = new byte[conns][];
                for (int i = 0; i < conns; i++) {
                    frames[i] = Frames.udp(0x0a000000 + ((t + 1) << 20) + i, Frames.IP_10_1_1_2, 1, 2);
                }
                CtMetadata[] md = new CtMetadata[batch];
                for (int j = 0; j < batch; j++) {
                    md[j] = new CtMetadata();
                }
                barrier.await();
                insertStart[t] = System.nanoTime();
                sendAll(ct, frames, md, now);
                insertEnd[t] = System.nanoTime();
                barrier.await();
                lookupStart[t] = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    sendAll(ct, frames, md, now);
                }
                lookupEnd[t] = System.nanoTime();
            });
            workers.join();
            long tracked = ct.connectionCount();

            report("insert", Workers.span(insertStart, insertEnd), total, "new conns");
            report("lookup", Workers.span(lookupStart, lookupEnd), total * passes, "existing conns");
            System.out.printf(Locale.ROOT, "tracked: %d conns%n", tracked);
            if (tracked != total) {
                System.err.printf(Locale.ROOT, "bench ct-multi: expected %d tracked connections, found %d%n", total,
                        tracked);
                return 1;
            }
        }
        return 0;
    }

    /** Sends every frame once, {@code md.length} per batch, then clears the batch's cached connections. */
    private static void sendAll(ConnTracker ct, byte[][] frames, CtMetadata[] md, long now) {
        int batch = md.length;
        byte[][] slice = new byte[batch][];
        int[] offs = new int[batch];
        int[] lens = new int[batch];
        java.util.Arrays.fill(lens, Frames.UDP_FRAME_LEN);
        for (int i = 0; i < frames.length; i += batch) {
            int n = Math.min(batch, frames.length - i);
            System.arraycopy(frames, i, slice, 0, n);
            ct.executeBatch(slice, offs, lens, n, 0, CtParams.COMMIT, md, now);
            for (int j = 0; j < n; j++) {
                md[j].forgetConnection();
            }
        }
    }

    /** Prints {@code PHASE: N ms, X Mpps (WHAT)}, the line of ct-multi's phases (fw-pipeline's too). */
    static void report(String phase, long nanos, long packets, String what) {
        double mpps = nanos == 0 ? 0 : packets * 1e3 / nanos;
        System.out.printf(Locale.ROOT, "%s: %d ms, %.2f Mpps (%s)%n", phase, nanos / 1_000_000, mpps, what);
    }
}
